import uuid
from typing import Any

from django.contrib.postgres.functions import RandomUUID
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower, Now
from django.utils import timezone

from catalog.isbn import InvalidIsbn, normalize_isbn

PRIOR_MEAN = 3  # the middle of the scale
PRIOR_WEIGHT = 10


def per_star_sum(*, weighted: bool, start: models.Expression | None = None) -> models.Expression:
    """``rating_1_count + rating_2_count + …`` (times each star when weighted), after ``start`` if given.

    Every rating figure derives from these two sums; building them here keeps the generated columns'
    expressions in one place (and their trees, which the migrations compare, unchanged).
    """
    total: Any = start  # F and the sums built from it are not Expressions to the type stubs
    for stars in range(1, 6):
        count = F(f"rating_{stars}_count")
        term = stars * count if weighted and stars > 1 else count
        total = term if total is None else total + term
    assert total is not None
    return total


STAR_FIELDS = ("rating_1_count", "rating_2_count", "rating_3_count", "rating_4_count", "rating_5_count")


class Genre(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="", db_default="")
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "genres"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="catalog_genre_name_ci_unique",
                violation_error_message="A genre with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def validate_isbn(value: str) -> None:
    try:
        normalize_isbn(value)
    except InvalidIsbn as exc:
        raise ValidationError(str(exc)) from exc


# Text search configurations that fold accents (``unaccent``) before the usual processing; created by
# migration 0003. Queries must use the same ones.
SEARCH_CONFIG_SIMPLE = "folio_simple"
SEARCH_CONFIG_ENGLISH = "folio_english"


class Folded(models.Func):
    """Lower-case text without accents: ``folio_fold(text)``, an immutable SQL function (so generated
    columns and indexes may use it) over ``unaccent``."""

    function = "folio_fold"
    output_field = models.TextField()


class TitleKey(models.Func):
    """A title reduced to what identifies the work across services: folded, without a trailing
    parenthesis (a series, "(Harry Potter, #1)", or an edition) and without punctuation —
    ``folio_title_key(text)``, immutable (migration 0008), so an index holds it."""

    function = "folio_title_key"
    output_field = models.TextField()


class ShortTitleKey(TitleKey):
    """``TitleKey`` without a subtitle (what follows the first colon): ``folio_title_short(text)``."""

    function = "folio_title_short"


class Book(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    title = models.CharField(max_length=500)
    author = models.CharField(max_length=300)
    isbn = models.CharField(
        "ISBN-13",
        max_length=13,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_isbn],
        error_messages={"unique": "A book with this ISBN already exists."},
    )
    description = models.TextField(blank=True, default="", db_default="")
    cover_image_url = models.URLField(max_length=1000, blank=True, default="", db_default="")
    publication_date = models.DateField(null=True, blank=True)
    publication_year = models.SmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-5000), MaxValueValidator(2100)],
        help_text="Negative for works before the common era.",
    )
    language_code = models.CharField(max_length=16, blank=True, default="", db_default="")
    source_book_id = models.PositiveIntegerField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Stable id of the book in the import source.",
    )
    # Rating aggregates: maintained by database triggers on `reviews` (see the reviews app); read-only
    # everywhere else. The average and total derive from the per-star counts, so they cannot disagree.
    rating_1_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rating_2_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rating_3_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rating_4_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    rating_5_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    total_reviews = models.GeneratedField(
        expression=per_star_sum(weighted=False),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    average_rating = models.GeneratedField(
        expression=models.Case(
            models.When(
                Q(rating_1_count=0, rating_2_count=0, rating_3_count=0, rating_4_count=0, rating_5_count=0),
                then=models.Value(0),
            ),
            default=models.functions.Round(
                models.functions.Cast(
                    per_star_sum(weighted=True),
                    output_field=models.DecimalField(max_digits=14, decimal_places=4),
                )
                / per_star_sum(weighted=False),
                2,
            ),
            output_field=models.DecimalField(max_digits=3, decimal_places=2),
        ),
        output_field=models.DecimalField(max_digits=3, decimal_places=2),
        db_persist=True,
    )
    # For ordering by rating: a Bayesian average pulled towards PRIOR_MEAN by PRIOR_WEIGHT imaginary
    # reviews, so one 5★ review does not lead a list of books with thousands (3.18 against, say, 4.29).
    weighted_rating = models.GeneratedField(
        expression=models.functions.Cast(
            per_star_sum(weighted=True, start=Value(PRIOR_WEIGHT * PRIOR_MEAN))
            * Value(1.0)
            / per_star_sum(weighted=False, start=Value(PRIOR_WEIGHT)),
            output_field=models.DecimalField(max_digits=5, decimal_places=4),
        ),
        output_field=models.DecimalField(max_digits=5, decimal_places=4),
        db_persist=True,
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config=SEARCH_CONFIG_SIMPLE, weight="A")
        + SearchVector("title", config=SEARCH_CONFIG_ENGLISH, weight="A")
        + SearchVector("author", config=SEARCH_CONFIG_SIMPLE, weight="B")
        + SearchVector("description", config=SEARCH_CONFIG_ENGLISH, weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # Folded copies for trigram matching (typos, variant spellings), each with a GIN trigram index.
    title_folded = models.GeneratedField(
        expression=Folded("title"), output_field=models.TextField(), db_persist=True
    )
    author_folded = models.GeneratedField(
        expression=Folded("author"), output_field=models.TextField(), db_persist=True
    )
    author_vector = models.GeneratedField(
        expression=SearchVector("author", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    genres = models.ManyToManyField(Genre, through="BookGenre", related_name="books", blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "books"
        ordering = ["title", "id"]
        indexes = [
            models.Index(F("average_rating").desc(), name="idx_books_average_rating"),
            models.Index(F("total_reviews").desc(), name="books_total_reviews_idx"),
            models.Index(F("weighted_rating").desc(), F("id"), name="books_weighted_rating_idx"),
            models.Index(fields=["title"], name="books_title_idx"),
            models.Index(F("publication_year").desc(nulls_last=True), name="books_pub_year_idx"),
            models.Index(fields=["created_at"], name="books_created_at_idx"),
            # The admin's language filter: its choices are read by skipping through this index.
            models.Index(fields=["language_code"], name="books_language_idx"),
            GinIndex(fields=["search_vector"], fastupdate=False, name="books_search_vector_idx"),
            GinIndex(fields=["author_vector"], name="books_author_vector_idx"),
            # Without a pending list (fastupdate): the catalog is read far more than written, and a fresh
            # bulk import is searchable through the index at once rather than after the next vacuum.
            GinIndex(
                fields=["title_folded"],
                opclasses=["gin_trgm_ops"],
                fastupdate=False,
                name="books_title_trgm_idx",
            ),
            GinIndex(
                fields=["author_folded"],
                opclasses=["gin_trgm_ops"],
                fastupdate=False,
                name="books_author_trgm_idx",
            ),
            # Matching a reader's imported library by title (catalog.matching).
            models.Index(TitleKey("title"), name="books_title_key_idx"),
            models.Index(ShortTitleKey("title"), name="books_title_short_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="catalog_book_title_not_empty"),
            models.CheckConstraint(condition=~Q(author=""), name="catalog_book_author_not_empty"),
            models.CheckConstraint(
                condition=Q(isbn__isnull=True) | Q(isbn__regex=r"^97[89][0-9]{10}$"),
                name="catalog_book_isbn_is_isbn13",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating_histogram(self) -> dict[str, int]:
        return {str(star): getattr(self, field) for star, field in enumerate(STAR_FIELDS, start=1)}


class BookGenre(models.Model):
    # Indexed under the specification's names (Meta.indexes), not Django's generated ones.
    book = models.ForeignKey(Book, on_delete=models.CASCADE, db_index=False)
    genre = models.ForeignKey(Genre, on_delete=models.CASCADE, db_index=False)

    class Meta:
        db_table = "book_genres"
        indexes = [
            models.Index(fields=["book"], name="idx_book_genres_book"),
            models.Index(fields=["genre"], name="idx_book_genres_genre"),
        ]
        constraints = [models.UniqueConstraint(fields=["book", "genre"], name="catalog_bookgenre_unique")]

    def __str__(self) -> str:
        return f"“{self.book}” in {self.genre}"
