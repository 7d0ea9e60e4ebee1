"""How well a book matches what a reader typed, as one SQL function shared by the search and the
suggestions (``catalog.selectors``): what the query most looks like — the title without its "(Series, #1)"
suffix, the series of a first volume, or the first author (3 when exact, plus 1.5 × trigram similarity;
the author's squared, so a query merely sharing a word with a name does not outrank a title holding it) —
plus how much of the query the title and author hold together (word similarity). Each part is computed
once per row, and the planner sees one call instead of a large expression."""

from django.db import migrations

SCORE = r"""
CREATE FUNCTION folio_match_score(title_folded text, author_folded text, typed text)
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT greatest(
        3.0 * (d.base = typed OR title_folded = typed)::int + 1.5 * similarity(d.base, typed),
        3.0 * (d.series = typed AND d.number = '1')::int + 1.5 * coalesce(similarity(d.series, typed), 0),
        3.0 * (d.first_author = typed)::int + 1.5 * power(similarity(d.first_author, typed), 2)
    ) + word_similarity(typed, title_folded || ' ' || author_folded)
    FROM (
        SELECT regexp_replace(title_folded, '\s*\([^()]*\)\s*$', '') AS base,
               substring(title_folded, '\(([^()]*?),? *#[0-9][^()]*\)$') AS series,
               substring(title_folded, '#([0-9][0-9.-]*)\)$') AS number,
               split_part(author_folded, ',', 1) AS first_author
    ) d
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_weighted_rating")]

    operations = [
        migrations.RunSQL(SCORE, reverse_sql="DROP FUNCTION folio_match_score(text, text, text);"),
        # The folded columns serve trigram lookups only, and estimating one tests the operator against
        # every sampled value: with the default 100 that is about 1 ms of planning per search. Ten
        # values estimate as well for the bitmap scans these lookups always use.
        migrations.RunSQL(
            "ALTER TABLE books ALTER COLUMN title_folded SET STATISTICS 10, "
            "ALTER COLUMN author_folded SET STATISTICS 10",
            reverse_sql="ALTER TABLE books ALTER COLUMN title_folded SET STATISTICS -1, "
            "ALTER COLUMN author_folded SET STATISTICS -1",
        ),
    ]
