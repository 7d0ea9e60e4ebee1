"""Ratings that look like the real ones: drawn from each goodbooks book's real per-star histogram, each
book getting ratings in proportion to its real ratings count (at least one). Used by ``load_demo_data``
(about 100,000) and by the scale benchmark (a million), always with a fixed seed."""

import csv
import random
from collections.abc import Iterator
from pathlib import Path


def histogram_rating_lines(books_csv: Path, *, rows: int, readers: int, seed: int = 10_000) -> Iterator[str]:
    """CSV lines in the ``user_id,book_id,rating`` shape ``import_ratings`` reads, header first."""
    rng = random.Random(seed)
    with books_csv.open(newline="", encoding="utf-8") as handle:
        books = list(csv.DictReader(handle))
    total = sum(int(book["ratings_count"]) for book in books)
    yield "user_id,book_id,rating\n"
    for book in books:
        count = min(readers, max(1, round(rows * int(book["ratings_count"]) / total)))
        weights = [int(book[f"ratings_{star}"]) for star in range(1, 6)]
        if not any(weights):
            weights = [1] * 5
        stars = rng.choices(range(1, 6), weights=weights, k=count)
        for user_id, star in zip(rng.sample(range(1, readers + 1), count), stars, strict=True):
            yield f"{user_id},{book['book_id']},{star}\n"
