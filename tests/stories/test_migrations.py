"""Rows written before stories were hardened: credentials, /media/ URLs and quoted fetch errors."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_0004_strips_credentials_rewrites_audio_urls_and_records_past_creations():
    call_command("migrate", "stories", "0003", verbosity=0)
    try:
        user = UserFactory()
        story_id = uuid.uuid4()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO repositories (user_id, repo_url, repo_name) VALUES (%s, %s, 'x') RETURNING id",
                [user.pk, "https://alice:s3cret@example.com/team/x.git"],
            )
            repository_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO stories (id, user_id, repository_id, title, audio_url, error_message)"
                " VALUES (%s, %s, %s, 't', %s, %s)",
                [
                    story_id,
                    user.pk,
                    repository_id,
                    f"/media/stories/{story_id}/story.wav",
                    "Could not clone https://alice:s3cret@example.com/team/x.git: HTTP 500 internal token=abc.",
                ],
            )
            cursor.execute(
                "INSERT INTO story_chapters (story_id, chapter_number, title, start_time_seconds,"
                " duration_seconds, script_segment, audio_url) VALUES (%s, 2, 'c', 0, 1, 's', %s)",
                [story_id, f"/media/stories/{story_id}/chapter-2.wav"],
            )
    finally:
        call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT repo_url FROM repositories WHERE id = %s", [repository_id])
        assert cursor.fetchone()[0] == "https://example.com/team/x.git"
        cursor.execute("SELECT audio_url, error_message FROM stories WHERE id = %s", [story_id])
        audio_url, error_message = cursor.fetchone()
        assert audio_url == f"/api/v1/stories/{story_id}/audio/"
        assert "s3cret" not in error_message and "token" not in error_message
        cursor.execute("SELECT audio_url FROM story_chapters WHERE story_id = %s", [story_id])
        assert cursor.fetchone()[0] == f"/api/v1/stories/{story_id}/chapters/2/audio/"
        cursor.execute("SELECT count(*) FROM story_creations WHERE story_id = %s", [story_id])
        assert cursor.fetchone()[0] == 1
