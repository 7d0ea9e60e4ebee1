"""Foreign keys cascade in the database; every user gets preferences, whatever inserted the user.

A separate migration because Django creates the foreign keys at the end of the migration that adds them.
"""

from django.db import migrations

from core.db import cascade_on_delete


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        cascade_on_delete("user_preferences", "user_id", "users"),
        cascade_on_delete("api_keys", "user_id", "users"),
        migrations.RunSQL(
            """
            CREATE FUNCTION users_create_preferences() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO user_preferences (user_id) SELECT id FROM new_users
                ON CONFLICT (user_id) DO NOTHING;
                RETURN NULL;
            END $$;
            CREATE TRIGGER users_create_preferences AFTER INSERT ON users
                REFERENCING NEW TABLE AS new_users
                FOR EACH STATEMENT EXECUTE FUNCTION users_create_preferences();
            """,
            reverse_sql="""
            DROP TRIGGER users_create_preferences ON users;
            DROP FUNCTION users_create_preferences();
            """,
        ),
    ]
