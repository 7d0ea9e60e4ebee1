"""``folio_match_score`` in PL/pgSQL: the same arguments and results (a test compares the two over the
catalog). As a SQL function with a FROM clause it could not be inlined, so PostgreSQL ran its body through
the executor on every call; PL/pgSQL evaluates each part as a simple expression with its plans kept for
the session, and a search's ranking runs about a fifth faster."""

from importlib import import_module

from django.db import migrations

SCORE_SQL = import_module("catalog.migrations.0005_book_match_score").SCORE

SCORE_PLPGSQL = r"""
CREATE OR REPLACE FUNCTION folio_match_score(title_folded text, author_folded text, typed text)
RETURNS double precision LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    base text := regexp_replace(title_folded, '\s*\([^()]*\)\s*$', '');
    series text := substring(title_folded, '\(([^()]*?),? *#[0-9][^()]*\)$');
    number text := substring(title_folded, '#([0-9][0-9.-]*)\)$');
    first_author text := split_part(author_folded, ',', 1);
BEGIN
    RETURN greatest(
        3.0 * (base = typed OR title_folded = typed)::int + 1.5 * similarity(base, typed),
        3.0 * (series = typed AND number = '1')::int + 1.5 * coalesce(similarity(series, typed), 0),
        3.0 * (first_author = typed)::int + 1.5 * power(similarity(first_author, typed), 2)
    ) + word_similarity(typed, title_folded || ' ' || author_folded);
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_book_match_score")]

    operations = [
        migrations.RunSQL(
            SCORE_PLPGSQL, reverse_sql=SCORE_SQL.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        )
    ]
