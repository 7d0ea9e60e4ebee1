"""Foreign keys cascade in the database, and the books' rating aggregates follow the reviews table.

Statement-level triggers with transition tables: a bulk insert, a COPY or a cascade delete of thousands of
reviews applies one aggregate update per affected book, not one per row. Each update adds deltas to the
per-star counts (O(1) per book, never a re-average); books are locked in id order so concurrent writers
cannot deadlock. `books.average_rating` and `books.total_reviews` are generated from the counts.
"""

from django.db import migrations

from core.db import cascade_on_delete

SYNC_FUNCTION = """
CREATE FUNCTION books_add_rating_deltas(
    book_ids uuid[], d1 bigint[], d2 bigint[], d3 bigint[], d4 bigint[], d5 bigint[]
) RETURNS void LANGUAGE sql AS $$
    WITH deltas AS (
        SELECT * FROM unnest(book_ids, d1, d2, d3, d4, d5) AS t(book_id, d1, d2, d3, d4, d5)
    ), locked AS (
        SELECT id FROM books WHERE id IN (SELECT book_id FROM deltas) ORDER BY id FOR NO KEY UPDATE
    )
    UPDATE books b SET
        rating_1_count = b.rating_1_count + deltas.d1,
        rating_2_count = b.rating_2_count + deltas.d2,
        rating_3_count = b.rating_3_count + deltas.d3,
        rating_4_count = b.rating_4_count + deltas.d4,
        rating_5_count = b.rating_5_count + deltas.d5
    FROM deltas
    WHERE b.id = deltas.book_id AND b.id IN (SELECT id FROM locked);
$$;

CREATE FUNCTION reviews_sync_book_ratings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids uuid[]; a1 bigint[]; a2 bigint[]; a3 bigint[]; a4 bigint[]; a5 bigint[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE books SET rating_1_count = 0, rating_2_count = 0, rating_3_count = 0,
                         rating_4_count = 0, rating_5_count = 0
        WHERE rating_1_count + rating_2_count + rating_3_count + rating_4_count + rating_5_count > 0;
        RETURN NULL;
    END IF;

    -- The transition tables a branch names exist only for its own event, so each branch reads its own.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(book_id), array_agg(c1), array_agg(c2), array_agg(c3), array_agg(c4), array_agg(c5)
        INTO ids, a1, a2, a3, a4, a5
        FROM (
            SELECT book_id, count(*) FILTER (WHERE rating = 1) c1, count(*) FILTER (WHERE rating = 2) c2,
                   count(*) FILTER (WHERE rating = 3) c3, count(*) FILTER (WHERE rating = 4) c4,
                   count(*) FILTER (WHERE rating = 5) c5
            FROM new_reviews GROUP BY book_id
        ) per_book;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(book_id), array_agg(-c1), array_agg(-c2), array_agg(-c3), array_agg(-c4), array_agg(-c5)
        INTO ids, a1, a2, a3, a4, a5
        FROM (
            SELECT book_id, count(*) FILTER (WHERE rating = 1) c1, count(*) FILTER (WHERE rating = 2) c2,
                   count(*) FILTER (WHERE rating = 3) c3, count(*) FILTER (WHERE rating = 4) c4,
                   count(*) FILTER (WHERE rating = 5) c5
            FROM old_reviews GROUP BY book_id
        ) per_book;
    ELSE
        SELECT array_agg(book_id), array_agg(c1), array_agg(c2), array_agg(c3), array_agg(c4), array_agg(c5)
        INTO ids, a1, a2, a3, a4, a5
        FROM (
            SELECT book_id,
                   coalesce(sum(s) FILTER (WHERE rating = 1), 0) c1, coalesce(sum(s) FILTER (WHERE rating = 2), 0) c2,
                   coalesce(sum(s) FILTER (WHERE rating = 3), 0) c3, coalesce(sum(s) FILTER (WHERE rating = 4), 0) c4,
                   coalesce(sum(s) FILTER (WHERE rating = 5), 0) c5
            FROM (
                SELECT book_id, rating, 1 AS s FROM new_reviews
                UNION ALL
                SELECT book_id, rating, -1 AS s FROM old_reviews
            ) changes
            GROUP BY book_id
        ) per_book
        WHERE (c1, c2, c3, c4, c5) <> (0, 0, 0, 0, 0);
    END IF;

    IF ids IS NOT NULL THEN
        PERFORM books_add_rating_deltas(ids, a1, a2, a3, a4, a5);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER reviews_ratings_after_insert AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS new_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_sync_book_ratings();
CREATE TRIGGER reviews_ratings_after_update AFTER UPDATE ON reviews
    REFERENCING OLD TABLE AS old_reviews NEW TABLE AS new_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_sync_book_ratings();
CREATE TRIGGER reviews_ratings_after_delete AFTER DELETE ON reviews
    REFERENCING OLD TABLE AS old_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_sync_book_ratings();
CREATE TRIGGER reviews_ratings_after_truncate AFTER TRUNCATE ON reviews
    FOR EACH STATEMENT EXECUTE FUNCTION reviews_sync_book_ratings();
"""

DROP_SYNC = """
DROP TRIGGER reviews_ratings_after_truncate ON reviews;
DROP TRIGGER reviews_ratings_after_delete ON reviews;
DROP TRIGGER reviews_ratings_after_update ON reviews;
DROP TRIGGER reviews_ratings_after_insert ON reviews;
DROP FUNCTION reviews_sync_book_ratings();
DROP FUNCTION books_add_rating_deltas(uuid[], bigint[], bigint[], bigint[], bigint[], bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [
        cascade_on_delete("reviews", "user_id", "users"),
        cascade_on_delete("reviews", "book_id", "books"),
        migrations.RunSQL(SYNC_FUNCTION, reverse_sql=DROP_SYNC),
    ]
