"""Two rules the database keeps, whatever writes (a service, the admin, a cascade from a deleted book or
collection, raw SQL):

- **Positions stay 0..n-1.** After any delete of groups or of books in groups, a statement-level trigger
  renumbers what remains of each affected collection's groups (or group's books) in their order. It first
  locks those rows, so a concurrent delete in the same group is waited for (or, when each holds a row the
  other needs, one of the two is aborted as a deadlock, to be retried), and then renumbers in a statement
  of its own, which reads what the other committed. Services lock the collection before they touch it,
  so theirs never race.
- **A collection's ``updated_at`` moves when its groups, its books or its groups' books change** (insert,
  update, delete), and a group's when any of its columns changes, bulk position shifts included.
"""

from django.db import migrations

DENSE_POSITIONS = """
CREATE FUNCTION groups_close_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM groups WHERE collection_id IN (SELECT collection_id FROM deleted_rows)
        ORDER BY collection_id, id FOR UPDATE;
    UPDATE groups g SET position = ranked.dense
    FROM (
        SELECT id, row_number() OVER (PARTITION BY collection_id ORDER BY position, id) - 1 AS dense
        FROM groups WHERE collection_id IN (SELECT collection_id FROM deleted_rows)
    ) ranked
    WHERE g.id = ranked.id AND g.position <> ranked.dense;
    RETURN NULL;
END $$;
CREATE TRIGGER groups_close_gaps AFTER DELETE ON groups
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION groups_close_gaps();

CREATE FUNCTION group_books_close_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM group_books WHERE group_id IN (SELECT group_id FROM deleted_rows)
        ORDER BY group_id, book_id FOR UPDATE;
    UPDATE group_books gb SET position = ranked.dense
    FROM (
        SELECT group_id, book_id,
               row_number() OVER (PARTITION BY group_id ORDER BY position, book_id) - 1 AS dense
        FROM group_books WHERE group_id IN (SELECT group_id FROM deleted_rows)
    ) ranked
    WHERE gb.group_id = ranked.group_id AND gb.book_id = ranked.book_id AND gb.position <> ranked.dense;
    RETURN NULL;
END $$;
CREATE TRIGGER group_books_close_gaps AFTER DELETE ON group_books
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION group_books_close_gaps();
"""
DROP_DENSE_POSITIONS = """
DROP TRIGGER group_books_close_gaps ON group_books;
DROP FUNCTION group_books_close_gaps();
DROP TRIGGER groups_close_gaps ON groups;
DROP FUNCTION groups_close_gaps();
"""

# One function per kind of transition table (rows inserted, deleted, or both sides of an update); each
# touches the collections the rows name, once per statement.
TOUCH = """
CREATE FUNCTION collections_touch_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE collections SET updated_at = now()
    WHERE id IN (SELECT collection_id FROM new_rows) AND updated_at <> now();
    RETURN NULL;
END $$;
CREATE FUNCTION collections_touch_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE collections SET updated_at = now()
    WHERE id IN (SELECT collection_id FROM old_rows) AND updated_at <> now();
    RETURN NULL;
END $$;
CREATE FUNCTION collections_touch_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE collections SET updated_at = now()
    WHERE id IN (SELECT collection_id FROM new_rows UNION SELECT collection_id FROM old_rows)
      AND updated_at <> now();
    RETURN NULL;
END $$;
CREATE FUNCTION groups_touch_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A save that sets updated_at itself (Django's auto_now) keeps its value.
    IF NEW IS DISTINCT FROM OLD AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER groups_touch_row BEFORE UPDATE ON groups
    FOR EACH ROW EXECUTE FUNCTION groups_touch_row();
"""
TOUCHED_TABLES = ["groups", "collection_books", "group_books"]
for table in TOUCHED_TABLES:
    TOUCH += f"""
CREATE TRIGGER {table}_touch_inserted AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION collections_touch_inserted();
CREATE TRIGGER {table}_touch_deleted AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION collections_touch_deleted();
CREATE TRIGGER {table}_touch_updated AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION collections_touch_updated();
"""
DROP_TOUCH = (
    "".join(
        f"""
DROP TRIGGER {table}_touch_inserted ON {table};
DROP TRIGGER {table}_touch_deleted ON {table};
DROP TRIGGER {table}_touch_updated ON {table};
"""
        for table in TOUCHED_TABLES
    )
    + """
DROP TRIGGER groups_touch_row ON groups;
DROP FUNCTION groups_touch_row();
DROP FUNCTION collections_touch_updated();
DROP FUNCTION collections_touch_deleted();
DROP FUNCTION collections_touch_inserted();
"""
)


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0003_specification_index_names")]

    operations = [
        migrations.RunSQL(DENSE_POSITIONS, reverse_sql=DROP_DENSE_POSITIONS),
        migrations.RunSQL(TOUCH, reverse_sql=DROP_TOUCH),
    ]
