"""Review moderation: a hidden review leaves the book's aggregates.

The rating trigger now counts only visible rows. Hiding or unhiding is an UPDATE, so the UPDATE branch's
old-minus-new deltas move a review out of (or back into) the counts exactly, in the same statement. The
reverse first unhides every review (under the new trigger, so the counts take them back), then restores
the trigger that counts every row.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.db import on_delete_in_database

SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION reviews_sync_book_ratings() RETURNS trigger LANGUAGE plpgsql AS $$
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
            FROM new_reviews WHERE {visible} GROUP BY book_id
        ) per_book;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(book_id), array_agg(-c1), array_agg(-c2), array_agg(-c3), array_agg(-c4), array_agg(-c5)
        INTO ids, a1, a2, a3, a4, a5
        FROM (
            SELECT book_id, count(*) FILTER (WHERE rating = 1) c1, count(*) FILTER (WHERE rating = 2) c2,
                   count(*) FILTER (WHERE rating = 3) c3, count(*) FILTER (WHERE rating = 4) c4,
                   count(*) FILTER (WHERE rating = 5) c5
            FROM old_reviews WHERE {visible} GROUP BY book_id
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
                SELECT book_id, rating, 1 AS s FROM new_reviews WHERE {visible}
                UNION ALL
                SELECT book_id, rating, -1 AS s FROM old_reviews WHERE {visible}
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
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_database_cascades"),
        ("reviews", "0003_newest_first_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="hidden_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="review",
            name="hidden_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="review",
            name="hidden_reason",
            field=models.CharField(blank=True, db_default="", default="", editable=False, max_length=500),
        ),
        migrations.AddIndex(
            model_name="review",
            index=models.Index(
                models.OrderBy(models.F("hidden_at"), descending=True),
                condition=models.Q(("hidden_at__isnull", False)),
                name="reviews_hidden_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("hidden_at__isnull", True), ("hidden_reason", "")),
                    models.Q(
                        ("hidden_at__isnull", False),
                        ("hidden_reason__length__gte", 1),
                        ("hidden_reason__length__lte", 500),
                    ),
                    _connector="OR",
                ),
                name="reviews_review_hidden_has_reason",
                violation_error_message="A hidden review needs a reason; a visible one has none.",
            ),
        ),
        # A raw DELETE of the moderator keeps the review and forgets who hid it.
        on_delete_in_database("reviews", "hidden_by_id", "users", "SET NULL"),
        migrations.RunSQL(
            SYNC_FUNCTION.format(visible="hidden_at IS NULL"),
            reverse_sql=SYNC_FUNCTION.format(visible="TRUE"),
        ),
        migrations.RunSQL(
            migrations.RunSQL.noop,
            reverse_sql="UPDATE reviews SET hidden_at = NULL, hidden_reason = '', hidden_by_id = NULL "
            "WHERE hidden_at IS NOT NULL",
        ),
    ]
