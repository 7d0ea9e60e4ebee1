"""Removing a story's files when its row goes, whichever path deleted it (the story itself, its repository
or its user, through the API, the admin or a command). Raw SQL deletes are swept by ``reap_stuck_stories``.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from stories.media import story_media_remove
from stories.models import Story


@receiver(post_delete, sender=Story, dispatch_uid="stories.remove_story_media")
def remove_story_media_after_commit(sender, instance: Story, **kwargs) -> None:
    # After the commit: a rolled-back delete must keep its files.
    transaction.on_commit(partial(story_media_remove, story_id=instance.pk))
