"""Search that forgives: accents folded on both sides (``unaccent`` inside two text search configurations
and an immutable ``folio_fold`` function), trigram indexes on folded titles and authors for typos and
variant spellings. A generated column cannot change its expression in place, so ``search_vector`` (and its
index) is dropped and added again, computed with the accent-folding configurations."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import catalog.models
from core.db import ExtensionKeptOnReverse

FOLDING = """
CREATE FUNCTION folio_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

CREATE TEXT SEARCH CONFIGURATION folio_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION folio_simple
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION folio_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION folio_english
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
"""

DROP_FOLDING = """
DROP TEXT SEARCH CONFIGURATION folio_english;
DROP TEXT SEARCH CONFIGURATION folio_simple;
DROP FUNCTION folio_fold(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_database_cascades"),
    ]

    operations = [
        # Production needs these contrib extensions (the embedded server has them); see the README.
        ExtensionKeptOnReverse("unaccent"),
        ExtensionKeptOnReverse("pg_trgm"),
        migrations.RunSQL(FOLDING, reverse_sql=DROP_FOLDING),
        migrations.AddField(
            model_name="book",
            name="author_folded",
            field=models.GeneratedField(
                db_persist=True, expression=catalog.models.Folded("author"), output_field=models.TextField()
            ),
        ),
        migrations.AddField(
            model_name="book",
            name="title_folded",
            field=models.GeneratedField(
                db_persist=True, expression=catalog.models.Folded("title"), output_field=models.TextField()
            ),
        ),
        migrations.RemoveIndex(model_name="book", name="books_search_vector_idx"),
        migrations.RemoveField(model_name="book", name="search_vector"),
        migrations.AddField(
            model_name="book",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "title", config="folio_simple", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "title", config="folio_english", weight="A"
                            ),
                            django.contrib.postgres.search.SearchConfig("folio_simple"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "author", config="folio_simple", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("folio_simple"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "description", config="folio_english", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("folio_simple"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="book",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], fastupdate=False, name="books_search_vector_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="book",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["title_folded"],
                fastupdate=False,
                name="books_title_trgm_idx",
                opclasses=["gin_trgm_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="book",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["author_folded"],
                fastupdate=False,
                name="books_author_trgm_idx",
                opclasses=["gin_trgm_ops"],
            ),
        ),
    ]
