from django.db import migrations

from config.db import cascade_on_delete

# A story outlives the intent it came from: deleting the intent only clears the link.
INTENT_SET_NULL = """
DO $$
DECLARE constraint_name text;
BEGIN
    SELECT con.conname INTO STRICT constraint_name FROM pg_constraint con
    JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
    WHERE con.conrelid = 'stories'::regclass AND con.contype = 'f' AND att.attname = 'intent_id';
    EXECUTE format('ALTER TABLE stories DROP CONSTRAINT %I', constraint_name);
    EXECUTE format('ALTER TABLE stories ADD CONSTRAINT %I FOREIGN KEY (intent_id) REFERENCES story_intents (id) '
                   '{on_delete} DEFERRABLE INITIALLY DEFERRED', constraint_name);
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [
        cascade_on_delete("repositories", "user_id", "users"),
        cascade_on_delete("story_intents", "user_id", "users"),
        cascade_on_delete("story_intents", "repository_id", "repositories"),
        cascade_on_delete("stories", "user_id", "users"),
        cascade_on_delete("stories", "repository_id", "repositories"),
        cascade_on_delete("story_chapters", "story_id", "stories"),
        migrations.RunSQL(
            INTENT_SET_NULL.replace("{on_delete}", "ON DELETE SET NULL"),
            reverse_sql=INTENT_SET_NULL.replace("{on_delete}", ""),
        ),
    ]
