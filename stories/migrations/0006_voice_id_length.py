"""A story's voice id holds 100 characters, as the CodeStory specification has it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0005_story_lease"),
    ]

    operations = [
        migrations.AlterField(
            model_name="story",
            name="voice_id",
            field=models.CharField(db_default="en-us", default="en-us", max_length=100),
        ),
    ]
