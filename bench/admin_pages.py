"""Admin pages on the big tables: time and query count of each, on the data bench/import_ratings.py leaves
(10,000 books, a million reviews, 53,000 readers). Run that first.

.venv/bin/python bench/admin_pages.py
"""

import statistics
import sys
import time

from _django import setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from catalog.models import Book  # noqa: E402
from reviews.models import Review  # noqa: E402

RUNS = 5


def main() -> None:
    reviews = Review.objects.count()
    if reviews < 100_000:
        sys.exit(f"Only {reviews} reviews in folio_bench: run bench/import_ratings.py first.")
    curator, _ = User.objects.get_or_create(
        email="bench-curator@example.invalid", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(curator)
    review = Review.objects.order_by("-created_at").first()
    book = Book.objects.order_by("-total_reviews").first()
    pages = [
        "/admin/reviews/review/",
        "/admin/reviews/review/?q=harry",
        f"/admin/reviews/review/?q={review.user.email}",
        "/admin/reviews/review/?q=reader",
        "/admin/reviews/review/?rating__exact=1",
        "/admin/reviews/review/?created_at__gte=2020-01-01+00:00:00%2B00:00",
        f"/admin/reviews/review/{review.pk}/change/",
        "/admin/catalog/book/",
        "/admin/catalog/book/?q=harry+potter",
        f"/admin/catalog/book/{book.pk}/change/",
        "/admin/accounts/user/",
        "/admin/accounts/user/?q=reader12",
        f"/admin/accounts/user/{review.user_id}/change/",
    ]
    print(f"{reviews:,} reviews; median of {RUNS} requests after one warm-up")
    print(f"{'ms':>7} {'queries':>8}  page")
    for url in pages:
        client.get(url)
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{statistics.median(timings) * 1000:7.0f} {len(queries):8d}  {url}")


if __name__ == "__main__":
    main()
