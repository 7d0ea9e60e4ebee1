"""Where a story's audio lives on disk. Files are served only through the owner-checking API views."""

import shutil
import uuid
from pathlib import Path

from django.conf import settings

STORY_AUDIO_NAME = "story.wav"


def story_media_folder(story_id: uuid.UUID | str) -> Path:
    return Path(settings.MEDIA_ROOT) / "stories" / str(uuid.UUID(str(story_id)))


def story_audio_path(story_id: uuid.UUID | str) -> Path:
    return story_media_folder(story_id) / STORY_AUDIO_NAME


def chapter_audio_path(story_id: uuid.UUID | str, chapter_number: int) -> Path:
    return story_media_folder(story_id) / f"chapter-{int(chapter_number)}.wav"


def sentence_audio_path(story_id: uuid.UUID | str, chapter_number: int, sentence: int) -> Path:
    """One spoken sentence, while its chapter is being put together."""
    return story_media_folder(story_id) / f"chapter-{int(chapter_number)}-sentence-{int(sentence)}.wav"


def story_media_remove(*, story_id: uuid.UUID | str) -> None:
    shutil.rmtree(story_media_folder(story_id), ignore_errors=True)


def orphaned_story_folders(*, existing_ids: set[str]) -> list[Path]:
    """Folders whose story no longer exists (deleted by raw SQL, or before a clean-up ran)."""
    root = Path(settings.MEDIA_ROOT) / "stories"
    if not root.is_dir():
        return []
    return [
        folder
        for folder in root.iterdir()
        if folder.is_dir() and _is_story_id(folder.name) and folder.name not in existing_ids
    ]


def _is_story_id(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False
