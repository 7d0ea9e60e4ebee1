from django.db import migrations

from core.db import on_delete_in_database


class Migration(migrations.Migration):
    dependencies = [("stories", "0008_pinned_stories_and_transcripts")]

    operations = [on_delete_in_database("stories", "since_story_id", "stories", "SET NULL")]
