from django.db import migrations

from core.db import cascade_on_delete


class Migration(migrations.Migration):
    """The FK exists only once 0003 has run its deferred SQL, so its cascade and the trigger come here."""

    dependencies = [("stories", "0003_story_creations")]

    operations = [
        cascade_on_delete("story_creations", "user_id", "users"),
        migrations.RunSQL(
            sql="""
            CREATE FUNCTION story_creations_record() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO story_creations (user_id, story_id, created_at)
                SELECT user_id, id, created_at FROM new_stories;
                RETURN NULL;
            END $$;
            CREATE TRIGGER stories_record_creation AFTER INSERT ON stories
                REFERENCING NEW TABLE AS new_stories
                FOR EACH STATEMENT EXECUTE FUNCTION story_creations_record();
            INSERT INTO story_creations (user_id, story_id, created_at)
                SELECT user_id, id, created_at FROM stories;
            """,
            reverse_sql="""
            DROP TRIGGER stories_record_creation ON stories;
            DROP FUNCTION story_creations_record();
            """,
        ),
        # Repositories were stored with whatever URL was given; credentials in one are no longer kept.
        migrations.RunSQL(
            sql=r"""
            UPDATE repositories
            SET repo_url = regexp_replace(repo_url, '^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@', '\1')
            WHERE repo_url ~ '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@';
            UPDATE stories SET audio_url = regexp_replace(
                audio_url, '^/media/stories/([0-9a-f-]+)/story\.wav$', '/api/v1/stories/\1/audio/')
            WHERE audio_url LIKE '/media/stories/%';
            UPDATE story_chapters SET audio_url = regexp_replace(
                audio_url, '^/media/stories/([0-9a-f-]+)/chapter-([0-9]+)\.wav$',
                '/api/v1/stories/\1/chapters/\2/audio/')
            WHERE audio_url LIKE '/media/stories/%';
            """,
            reverse_sql=r"""
            UPDATE stories SET audio_url = regexp_replace(
                audio_url, '^/api/v1/stories/([0-9a-f-]+)/audio/$', '/media/stories/\1/story.wav')
            WHERE audio_url LIKE '/api/v1/stories/%';
            UPDATE story_chapters SET audio_url = regexp_replace(
                audio_url, '^/api/v1/stories/([0-9a-f-]+)/chapters/([0-9]+)/audio/$',
                '/media/stories/\1/chapter-\2.wav')
            WHERE audio_url LIKE '/api/v1/stories/%';
            """,
        ),
        # Earlier fetch failures quoted the URL and what the remote said; keep only the fixed message.
        migrations.RunSQL(
            sql="""
        UPDATE stories
        SET error_message = 'The repository could not be fetched; check that the URL is a public git repository.'
        WHERE error_message LIKE 'Could not clone %';
        """,
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
