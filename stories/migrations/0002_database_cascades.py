from django.db import migrations

from core.db import cascade_on_delete, on_delete_in_database


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [
        cascade_on_delete("repositories", "user_id", "users"),
        cascade_on_delete("story_intents", "user_id", "users"),
        cascade_on_delete("story_intents", "repository_id", "repositories"),
        cascade_on_delete("stories", "user_id", "users"),
        cascade_on_delete("stories", "repository_id", "repositories"),
        cascade_on_delete("story_chapters", "story_id", "stories"),
        # A story outlives the intent it came from: deleting the intent only clears the link.
        on_delete_in_database("stories", "intent_id", "story_intents", "SET NULL"),
    ]
