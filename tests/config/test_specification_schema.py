"""The live schema against the specifications Folio translates: where a specification names an index on a
column Folio has, the index carries that name (SkillMeat's ``artifact`` is Folio's ``book``)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# name: (table, the indexed columns as PostgreSQL writes them)
SPECIFIED_INDEXES = {
    # BRS (books, genres, reviews, favorites), section 4.2
    "idx_books_average_rating": ("books", "average_rating DESC"),
    "idx_book_genres_book": ("book_genres", "book_id"),
    "idx_book_genres_genre": ("book_genres", "genre_id"),
    "idx_reviews_user": ("reviews", "user_id"),
    "idx_reviews_book": ("reviews", "book_id"),
    "idx_reviews_rating": ("reviews", "rating"),
    "idx_user_favorites_user": ("user_favorites", "user_id"),
    # SkillMeat (collections and groups)
    "idx_collections_name": ("collections", "name"),
    "idx_collections_created_by": ("collections", "created_by_id"),
    "idx_collections_created_at": ("collections", "created_at"),
    "idx_groups_collection_id": ("groups", "collection_id"),
    "idx_groups_position": ("groups", 'collection_id, "position"'),
    "idx_groups_created_at": ("groups", "created_at"),
    "idx_collection_books_book_id": ("collection_books", "book_id"),
    "idx_collection_books_added_at": ("collection_books", "added_at"),
    "idx_group_books_book_id": ("group_books", "book_id"),
    "idx_group_books_position": ("group_books", 'group_id, "position"'),
    "idx_group_books_added_at": ("group_books", "added_at"),
}


def test_every_index_a_specification_names_exists_under_that_name_on_its_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(SPECIFIED_INDEXES)],
        )
        found = {
            name: (table, definition.split("USING btree (", 1)[1][:-1]) for name, table, definition in cursor
        }
    assert found == SPECIFIED_INDEXES


@pytest.mark.parametrize("table", ["groups", "group_books"])
def test_a_position_defaults_to_zero_in_the_database(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_default FROM information_schema.columns WHERE table_name = %s AND column_name = 'position'",
            [table],
        )
        assert cursor.fetchone() == ("0",)


def test_a_raw_delete_of_a_user_takes_their_admin_log_groups_and_permissions_along():
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from tests.accounts.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.create(name="Curators"))
    user.user_permissions.add(Permission.objects.first())
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Group),
        object_repr="x",
        action_flag=ADDITION,
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])
        cursor.execute(
            "SELECT (SELECT count(*) FROM django_admin_log WHERE user_id = %(u)s)"
            " + (SELECT count(*) FROM users_groups WHERE user_id = %(u)s)"
            " + (SELECT count(*) FROM users_user_permissions WHERE user_id = %(u)s)",
            {"u": user.pk},
        )
        assert cursor.fetchone() == (0,)
    assert Group.objects.filter(name="Curators").exists()


def test_a_story_voice_id_holds_100_characters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT character_maximum_length FROM information_schema.columns"
            " WHERE table_name = 'stories' AND column_name = 'voice_id'"
        )
        assert cursor.fetchone() == (100,)


# The tables the specifications define, column by column, as Folio holds them: each entry is the
# specification's column with Folio's documented translation applied (README, "From the specification to
# Django"; translations are marked). (type, length or precision, nullable, default or None)
TIMESTAMP = ("timestamp with time zone", None, "NO", "statement_timestamp()")  # TIMESTAMP DEFAULT NOW()
UUID_KEY = ("uuid", None, "NO", "gen_random_uuid()")
EMPTY_TEXT = ("text", None, "NO", "''::text")  # a nullable TEXT: Django's empty string, not NULL
SPECIFIED_COLUMNS = {
    # BRS, section 4.1
    "users": {
        "id": UUID_KEY,
        "email": ("character varying", 254, "NO", None),  # VARCHAR(255): the RFC's 254, Django's EmailField
        "password": ("character varying", 128, "NO", None),  # password_hash: Django's hasher string
        "first_name": ("character varying", 100, "NO", "''::character varying"),
        "last_name": ("character varying", 100, "NO", "''::character varying"),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "is_active": ("boolean", None, "NO", "true"),
    },
    "genres": {
        "id": ("bigint", None, "NO", None),  # UUID: genres are addressed by slug; see the README
        "name": ("character varying", 100, "NO", None),
        "description": EMPTY_TEXT,
        "created_at": TIMESTAMP,
    },
    "books": {
        "id": UUID_KEY,
        "title": ("character varying", 500, "NO", None),
        "author": ("character varying", 300, "NO", None),
        "isbn": ("character varying", 13, "YES", None),
        "description": EMPTY_TEXT,
        "cover_image_url": ("character varying", 1000, "NO", "''::character varying"),
        "publication_date": ("date", None, "YES", None),
        # DEFAULT 0.00 / 0: generated from the per-star counts, so exact whatever writes reviews
        "average_rating": ("numeric", (3, 2), "YES", None),
        "total_reviews": ("integer", None, "YES", None),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    },
    "book_genres": {"book_id": ("uuid", None, "NO", None), "genre_id": ("bigint", None, "NO", None)},
    "reviews": {
        "id": UUID_KEY,
        "user_id": ("uuid", None, "NO", None),
        "book_id": ("uuid", None, "NO", None),
        "rating": ("smallint", None, "NO", None),  # INTEGER with its CHECK 1..5
        "review_text": EMPTY_TEXT,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    },
    # Skriptoteket (BRS's surrogate id replaced by its composite key)
    "user_favorites": {
        "user_id": ("uuid", None, "NO", None),
        "book_id": ("uuid", None, "NO", None),
        "created_at": TIMESTAMP,
    },
    # SkillMeat (TEXT ids as UUIDs; DATETIME as timestamptz; artifact as book)
    "collections": {
        "id": UUID_KEY,
        "name": ("character varying", 255, "NO", None),
        "description": EMPTY_TEXT,
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "created_by_id": ("uuid", None, "YES", None),
    },
    "groups": {
        "id": UUID_KEY,
        "collection_id": ("uuid", None, "NO", None),
        "name": ("character varying", 255, "NO", None),
        "description": EMPTY_TEXT,
        "position": ("integer", None, "NO", "0"),
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    },
    "collection_books": {
        "collection_id": ("uuid", None, "NO", None),
        "book_id": ("uuid", None, "NO", None),
        "added_at": TIMESTAMP,
    },
    "group_books": {
        "group_id": ("uuid", None, "NO", None),
        "book_id": ("uuid", None, "NO", None),
        "position": ("integer", None, "NO", "0"),
        "added_at": TIMESTAMP,
    },
    # CodeStory and Delight: UUID keys, the defaults they give, a 100-character voice
    "api_keys": {
        "id": UUID_KEY,
        "rate_limit": ("integer", None, "NO", "100"),
        "is_active": ("boolean", None, "NO", "true"),
        "expires_at": ("timestamp with time zone", None, "YES", None),
    },
    "user_preferences": {
        "id": UUID_KEY,
        "user_id": ("uuid", None, "NO", None),
        "theme": ("character varying", 50, "NO", "'modern'::character varying"),
        "onboarding_completed": ("boolean", None, "NO", "false"),
    },
    "repositories": {"default_branch": ("character varying", 255, "NO", "'main'::character varying")},
    "stories": {
        "voice_id": ("character varying", 100, "NO", "'en-us'::character varying"),
        "status": ("character varying", 20, "NO", "'pending'::character varying"),
        "intent_id": ("uuid", None, "YES", None),
    },
    "story_chapters": {"id": UUID_KEY, "story_id": ("uuid", None, "NO", None)},
}

# (table, column) -> the values a CHECK allows it
SPECIFIED_CHOICES = {
    ("users", "subscription_tier"): {"free", "pro", "enterprise"},
    ("story_intents", "intent_category"): {"onboarding", "architecture", "feature", "debugging"},
    ("story_intents", "expertise_level"): {"beginner", "intermediate", "expert"},
    ("stories", "narrative_style"): {"fiction", "documentary", "tutorial", "podcast", "technical"},
    ("stories", "status"): {"pending", "analyzing", "generating", "synthesizing", "complete", "failed"},
}

# (table, the columns, in order) of every primary key and unique constraint the specifications declare
SPECIFIED_KEYS = {
    ("users", ("email",)),
    ("books", ("isbn",)),
    ("book_genres", ("book_id", "genre_id")),  # PRIMARY KEY(book_id, genre_id): a unique constraint here
    ("reviews", ("user_id", "book_id")),
    ("user_favorites", ("user_id", "book_id")),
    ("groups", ("collection_id", "name")),
    ("collection_books", ("collection_id", "book_id")),
    ("group_books", ("group_id", "book_id")),
    ("users", ("external_auth_id",)),
    ("user_preferences", ("user_id",)),
    ("api_keys", ("prefix",)),
    ("api_keys", ("secret_hash",)),
    ("stories", ("intent_id",)),
    ("story_chapters", ("story_id", "chapter_number")),
}

# (table, column) -> (referenced table, ON DELETE): c cascade, n set null
SPECIFIED_CASCADES = {
    ("book_genres", "book_id"): ("books", "c"),
    ("book_genres", "genre_id"): ("genres", "c"),
    ("reviews", "user_id"): ("users", "c"),
    ("reviews", "book_id"): ("books", "c"),
    ("user_favorites", "user_id"): ("users", "c"),
    ("user_favorites", "book_id"): ("books", "c"),
    ("groups", "collection_id"): ("collections", "c"),
    ("collection_books", "collection_id"): ("collections", "c"),
    ("collection_books", "book_id"): ("books", "c"),  # artifacts had no foreign key; books do
    ("group_books", "group_id"): ("groups", "c"),
    ("group_books", "book_id"): ("books", "c"),
    ("collections", "created_by_id"): ("users", "c"),
    ("api_keys", "user_id"): ("users", "c"),
    ("user_preferences", "user_id"): ("users", "c"),
    ("repositories", "user_id"): ("users", "c"),
    ("story_intents", "user_id"): ("users", "c"),
    ("story_intents", "repository_id"): ("repositories", "c"),
    ("stories", "user_id"): ("users", "c"),
    ("stories", "repository_id"): ("repositories", "c"),
    ("stories", "intent_id"): ("story_intents", "n"),  # nullable, one story per intent
    ("story_chapters", "story_id"): ("stories", "c"),
}

# (table, what the CHECK says, as PostgreSQL writes it)
SPECIFIED_CHECKS = {
    ("reviews", "((rating >= 1) AND (rating <= 5))"),
    ("collections", "((length((name)::text) >= 1) AND (length((name)::text) <= 255))"),
    ("groups", "((length((name)::text) >= 1) AND (length((name)::text) <= 255))"),
    ("groups", '("position" >= 0)'),
    ("group_books", '("position" >= 0)'),
}


def test_every_specified_column_has_its_type_length_nullability_and_default():
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT table_name, column_name, data_type,
                   coalesce(character_maximum_length::text, numeric_precision || ',' || numeric_scale),
                   is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY(%s)
            """,
            [list(SPECIFIED_COLUMNS)],
        )
        for table, column, data_type, size, nullable, default in cursor.fetchall():
            if column in SPECIFIED_COLUMNS[table]:
                found.setdefault(table, {})[column] = (data_type, size, nullable, default)

    def as_found(kind, size, nullable, default):
        written = None if size is None else (f"{size[0]},{size[1]}" if isinstance(size, tuple) else str(size))
        if kind in ("integer", "smallint", "bigint") and written is None:
            written = {"integer": "32,0", "smallint": "16,0", "bigint": "64,0"}[kind]
        return (kind, written, nullable, default)

    expected = {
        table: {column: as_found(*facts) for column, facts in columns.items()}
        for table, columns in SPECIFIED_COLUMNS.items()
    }
    assert found == expected


def test_every_specified_key_and_unique_constraint_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text,
                   array_agg(att.attname ORDER BY array_position(con.conkey, att.attnum))
            FROM pg_constraint con
            JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)
            WHERE con.contype IN ('p', 'u')
            GROUP BY con.oid, con.conrelid
            """
        )
        keys = {(table, tuple(columns)) for table, columns in cursor.fetchall()}
    assert keys >= SPECIFIED_KEYS, SPECIFIED_KEYS - keys


def test_a_genre_name_is_unique_in_any_letter_case():
    # BRS's UNIQUE(name), kept stricter: "Sci-Fi" and "sci-fi" are one genre.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'genres' AND indexdef LIKE '%%UNIQUE%%'"
        )
        assert any("lower((name)::text)" in definition for (definition,) in cursor.fetchall())


def test_every_specified_foreign_key_cascades_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, att.attname, con.confrelid::regclass::text, con.confdeltype
            FROM pg_constraint con
            JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = con.conkey[1]
            WHERE con.contype = 'f' AND array_length(con.conkey, 1) = 1
            """
        )
        cascades = {(table, column): (target, action) for table, column, target, action in cursor.fetchall()}
    assert {key: cascades.get(key) for key in SPECIFIED_CASCADES} == SPECIFIED_CASCADES


def test_every_specified_check_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'"
        )
        checks = {
            (table, definition.removeprefix("CHECK (").removesuffix(")")) for table, definition in cursor
        }
    assert checks >= SPECIFIED_CHECKS, SPECIFIED_CHECKS - checks


def test_every_specified_choice_is_a_check_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c'"
        )
        checks = cursor.fetchall()
    for (table, column), values in SPECIFIED_CHOICES.items():
        allowing = [
            definition
            for on, definition in checks
            if on == table and column in definition and all(f"'{value}'::" in definition for value in values)
        ]
        assert allowing, (table, column)


VARCHAR, TEXT, TSTZ = "character varying", "text", "timestamp with time zone"
# Every column of the CodeStory and Delight tables, with its kind and, where they say, whether it may be
# empty (None: either). Their JSONB stays JSONB; their lists are JSON arrays, permissions a text array.
SPECIFIED_COLUMN_KINDS = {
    "users": {
        "id": ("uuid", "NO"),
        "email": (VARCHAR, "NO"),
        "password": (VARCHAR, "NO"),
        "first_name": (VARCHAR, "NO"),
        "last_name": (VARCHAR, "NO"),
        "is_active": ("boolean", "NO"),
        "is_staff": ("boolean", "NO"),
        "timezone": (VARCHAR, "NO"),
        "external_auth_id": (VARCHAR, "YES"),
        "subscription_tier": (VARCHAR, "NO"),
        "usage_quota": ("integer", None),
        "created_at": (TSTZ, "NO"),
        "updated_at": (TSTZ, "NO"),
    },
    "user_preferences": {
        "user_id": ("uuid", "NO"),
        "theme": (VARCHAR, "NO"),
        "custom_hours": ("jsonb", None),
        "communication_preferences": ("jsonb", None),
        "onboarding_completed": ("boolean", "NO"),
        "extra": ("jsonb", None),
        "created_at": (TSTZ, "NO"),
        "updated_at": (TSTZ, "NO"),
    },
    "api_keys": {
        "user_id": ("uuid", "NO"),
        "name": (VARCHAR, "NO"),
        "prefix": (VARCHAR, "NO"),
        "secret_hash": (VARCHAR, "NO"),
        "permissions": ("ARRAY", "NO"),
        "rate_limit": ("integer", "NO"),
        "is_active": ("boolean", "NO"),
        "last_used_at": (TSTZ, "YES"),
        "expires_at": (TSTZ, "YES"),
        "created_at": (TSTZ, "NO"),
    },
    "repositories": {
        "id": ("uuid", "NO"),
        "user_id": ("uuid", "NO"),
        "repo_url": (VARCHAR, "NO"),
        "repo_owner": (VARCHAR, None),
        "repo_name": (VARCHAR, None),
        "default_branch": (VARCHAR, "NO"),
        "analysis_cache": ("jsonb", None),
        "last_analyzed_at": (TSTZ, "YES"),
        "created_at": (TSTZ, "NO"),
    },
    "story_intents": {
        "id": ("uuid", "NO"),
        "user_id": ("uuid", "NO"),
        "repository_id": ("uuid", "NO"),
        "intent_category": (VARCHAR, "NO"),
        "expertise_level": (VARCHAR, "NO"),
        "focus_areas": ("jsonb", None),
        "learning_goals": (TEXT, None),
        "conversation_history": ("jsonb", None),
        "generated_plan": ("jsonb", None),
        "created_at": (TSTZ, "NO"),
        "updated_at": (TSTZ, "NO"),
    },
    "stories": {
        "id": ("uuid", "NO"),
        "user_id": ("uuid", "NO"),
        "repository_id": ("uuid", "NO"),
        "intent_id": ("uuid", "YES"),
        "title": (VARCHAR, None),
        "narrative_style": (VARCHAR, "NO"),
        "voice_id": (VARCHAR, "NO"),
        "script_text": (TEXT, None),
        "audio_url": (VARCHAR, None),
        "duration_seconds": ("double precision", None),
        "status": (VARCHAR, "NO"),
        "error_message": (TEXT, None),
        "created_at": (TSTZ, "NO"),
        "completed_at": (TSTZ, "YES"),
    },
    "story_chapters": {
        "id": ("uuid", "NO"),
        "story_id": ("uuid", "NO"),
        "chapter_number": ("integer", "NO"),
        "title": (VARCHAR, "NO"),
        "start_time_seconds": ("double precision", None),
        "duration_seconds": ("double precision", None),
        "script_segment": (TEXT, None),
        "audio_url": (VARCHAR, None),
        "created_at": (TSTZ, "NO"),
    },
}


def test_every_codestory_and_delight_column_exists_with_its_kind():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = 'public' AND table_name = ANY(%s)",
            [list(SPECIFIED_COLUMN_KINDS)],
        )
        found = {(table, column): (kind, nullable) for table, column, kind, nullable in cursor.fetchall()}
    wrong = {
        (table, column): found.get((table, column))
        for table, columns in SPECIFIED_COLUMN_KINDS.items()
        for column, (kind, nullable) in columns.items()
        if (table, column) not in found
        or found[table, column][0] != kind
        or (nullable is not None and found[table, column][1] != nullable)
    }
    assert wrong == {}
