"""The scale data set, built once in ``folio_bench`` and reused: the 10,000 goodbooks books, 53,424 readers,
about 1,000,000 reviews drawn from each book's real per-star histogram (a tenth with text, dates spread over
three years), 200,000 favorites, 5,000 collections with two groups each and about 50,000 memberships, and
two public collections for the size comparison (10 books; 1,000 books in 20 groups).

Readers, reviews and books arrive through the import commands; the bulk rows no service writes one at a
time (favorites, memberships) are set-based SQL that satisfies the same constraints and triggers; the two
measured collections are built through the collection services.
"""

import time
from io import StringIO

from _django import ROOT

DATASET = ROOT / "catalog" / "data" / "goodbooks-10k"
READERS = 53_424
REVIEWS = 1_000_000
FAVORITES = 200_000
COLLECTIONS = 5_000
BOOKS_PER_COLLECTION = 10
RATINGS_FILE = ROOT / "var" / "bench" / f"ratings-{REVIEWS}.csv"
SMALL_COLLECTION, LARGE_COLLECTION = "Bench: ten books", "Bench: a thousand books in twenty groups"


def _step(message: str):
    print(f"  scale data: {message} …", flush=True)
    return time.perf_counter()


def _count(cursor, sql: str) -> int:
    cursor.execute(sql)
    return cursor.fetchone()[0]


def ensure() -> None:
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        if _count(cursor, "SELECT count(*) FROM books WHERE source_book_id IS NOT NULL") < 10_000:
            _step("importing 10,000 books")
            call_command(
                "import_books",
                str(DATASET / "books.csv"),
                quiet_issues=True,
                stdout=StringIO(),
                stderr=StringIO(),
            )
        if _count(cursor, "SELECT count(*) FROM reviews") < 0.9 * REVIEWS:
            if not RATINGS_FILE.exists():
                from reviews.demo import histogram_rating_lines

                _step(f"drawing {REVIEWS:,} ratings from the books' histograms")
                RATINGS_FILE.parent.mkdir(parents=True, exist_ok=True)
                RATINGS_FILE.write_text(
                    "".join(histogram_rating_lines(DATASET / "books.csv", rows=REVIEWS, readers=READERS))
                )
            _step("importing the ratings")
            call_command("import_ratings", str(RATINGS_FILE), stdout=StringIO(), stderr=StringIO())
        if not _count(
            cursor, "SELECT count(*) FROM (SELECT 1 FROM reviews WHERE review_text <> '' LIMIT 1) t"
        ):
            _step("writing text on a tenth of the reviews, spreading dates over three years")
            # Dates and text change no rating, so the aggregates stay as they are.
            cursor.execute(
                """
                UPDATE reviews SET
                    created_at = now() - (abs(hashtext(id::text)) % (3 * 365 * 86400)) * interval '1 second',
                    updated_at = now() - (abs(hashtext(id::text)) % (3 * 365 * 86400)) * interval '1 second',
                    review_text = CASE WHEN abs(hashtext(id::text || 't')) % 10 = 0
                        THEN (ARRAY[
                            'Could not put it down; the last hundred pages went by in one night.',
                            'Slow to start, but the second half earns every star.',
                            'Beautifully written, though the ending felt rushed to me.',
                            'Read it for a book club and ended up arguing about it for weeks.',
                            'Not for me: the characters never came alive.'
                        ])[1 + abs(hashtext(id::text || 'x')) % 5]
                        ELSE '' END
                """
            )
            cursor.execute("ANALYZE reviews")
        if _count(cursor, "SELECT count(*) FROM user_favorites") < 0.9 * FAVORITES:
            _step(f"{FAVORITES:,} favorites, of books their readers rated well")
            cursor.execute(
                """
                INSERT INTO user_favorites (user_id, book_id, created_at)
                SELECT user_id, book_id, created_at FROM reviews
                WHERE rating >= 4 AND abs(hashtext(id::text || 'f')) %% 3 = 0
                LIMIT %s
                ON CONFLICT DO NOTHING
                """,
                [FAVORITES],
            )
            cursor.execute("ANALYZE user_favorites")
        # Counted by memberships: bench/import_books.py empties the catalog, and the books' rows in
        # collections and groups go with it while the collections stay.
        if _count(cursor, "SELECT count(*) FROM collection_books") < 0.9 * COLLECTIONS * BOOKS_PER_COLLECTION:
            _step(f"{COLLECTIONS:,} collections with two groups and {BOOKS_PER_COLLECTION} books each")
            cursor.execute(
                "DELETE FROM collections WHERE name LIKE 'Reading list %%' OR name LIKE 'Bench: %%'"
            )
            _collections(cursor)
    _measured_collections()
    with connection.cursor() as cursor:
        # Every run starts from the same settled state: the planner sees the tables as they are, and the
        # previous run's writers (every review update rewrites its book's row) leave no dead rows for
        # the next run's reads to step over (a COUNT of the books took 4 ms instead of 1 before this).
        cursor.execute("VACUUM ANALYZE")


def _collections(cursor) -> None:
    # Owners and books are spread with multiplicative hashing of the collection's number: set-based and
    # the same on every run.
    cursor.execute(
        """
        CREATE TEMPORARY TABLE bench_readers AS
            SELECT id, row_number() OVER (ORDER BY email) - 1 AS n FROM users WHERE email LIKE 'reader%%';
        CREATE TEMPORARY TABLE bench_books AS
            SELECT id, row_number() OVER (ORDER BY source_book_id) - 1 AS n FROM books
            WHERE source_book_id IS NOT NULL;
        CREATE TEMPORARY TABLE bench_collections AS
            SELECT gen_random_uuid() AS id, n FROM generate_series(0, %(collections)s - 1) AS n;
        INSERT INTO collections (id, name, description, visibility, created_at, updated_at, created_by_id)
            SELECT c.id, 'Reading list ' || c.n, '', CASE WHEN c.n %% 3 = 0 THEN 'public' ELSE 'private' END,
                   now() - c.n * interval '3 hours', now() - c.n * interval '3 hours', r.id
            FROM bench_collections c
            JOIN bench_readers r ON r.n = (c.n * 7919) %% (SELECT count(*) FROM bench_readers);
        CREATE TEMPORARY TABLE bench_members AS
            SELECT c.id AS collection_id, b.id AS book_id, k
            FROM bench_collections c CROSS JOIN generate_series(0, %(per)s - 1) AS k
            JOIN bench_books b ON b.n = (c.n * 104729 + k * 7907) %% (SELECT count(*) FROM bench_books);
        INSERT INTO collection_books (collection_id, book_id, added_at)
            SELECT collection_id, book_id, now() - k * interval '1 day' FROM bench_members;
        INSERT INTO groups (id, collection_id, name, description, position, created_at, updated_at)
            SELECT gen_random_uuid(), c.id, g.name, '', g.position, now(), now()
            FROM bench_collections c
            CROSS JOIN (VALUES ('Reading now', 0), ('Up next', 1)) AS g(name, position);
        INSERT INTO group_books (group_id, book_id, collection_id, position, added_at)
            SELECT g.id, m.book_id, m.collection_id, m.k %% (%(per)s / 2), now()
            FROM bench_members m
            JOIN groups g ON g.collection_id = m.collection_id AND g.position = m.k / (%(per)s / 2);
        DROP TABLE bench_readers, bench_books, bench_collections, bench_members;
        ANALYZE collections, collection_books, groups, group_books;
        """,
        {"collections": COLLECTIONS, "per": BOOKS_PER_COLLECTION},
    )


def _measured_collections() -> None:
    """Two public collections built through the services: 10 books in one group, and 1,000 books in 20."""
    from catalog.models import Book
    from collections_app import services
    from collections_app.models import Collection

    books = list(Book.objects.filter(source_book_id__isnull=False).order_by("source_book_id")[:1000])
    for name, size, groups in ((SMALL_COLLECTION, 10, 1), (LARGE_COLLECTION, 1000, 20)):
        if Collection.objects.filter(name=name, memberships__isnull=False).distinct().count():
            continue
        Collection.objects.filter(name=name).delete()
        _step(f"the collection “{name}”")
        collection = services.collection_create(owner=None, name=name, visibility="public")
        chosen = books[:size]
        services.collection_set_books(collection=collection, books=chosen)
        per_group = size // groups
        for index in range(groups):
            group = services.group_create(collection=collection, name=f"Part {index + 1}")
            services.group_set_books(group=group, books=chosen[index * per_group : (index + 1) * per_group])
