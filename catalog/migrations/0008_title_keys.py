"""Title keys for matching a reader's imported library (``catalog.matching``): a title without its
series or edition parenthesis and punctuation, and the same without a subtitle, each indexed so that a
file of thousands of rows is matched in one join."""

from django.db import migrations, models

import catalog.models

TITLE_KEYS = r"""
CREATE FUNCTION folio_title_key(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN btrim(regexp_replace(
        replace(regexp_replace(public.folio_fold($1), '\s*\([^()]*\)\s*$', ''), '&', ' and '),
        '[^[:alnum:]]+', ' ', 'g'));

CREATE FUNCTION folio_title_short(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN public.folio_title_key(split_part(regexp_replace(public.folio_fold($1), '\s*\([^()]*\)\s*$', ''), ':', 1));
"""

DROP_TITLE_KEYS = """
DROP FUNCTION folio_title_short(text);
DROP FUNCTION folio_title_key(text);
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_specification_index_names")]

    operations = [
        migrations.RunSQL(TITLE_KEYS, reverse_sql=DROP_TITLE_KEYS),
        migrations.AddIndex(
            model_name="book",
            index=models.Index(catalog.models.TitleKey("title"), name="books_title_key_idx"),
        ),
        migrations.AddIndex(
            model_name="book",
            index=models.Index(catalog.models.ShortTitleKey("title"), name="books_title_short_idx"),
        ),
    ]
