import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Deferrable, F, Q
from django.db.models.functions import Length, Now
from django.utils import timezone

models.CharField.register_lookup(Length)

NAME_MAX = 255


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private (only me)"
    UNLISTED = "unlisted", "Unlisted (anyone with the link)"
    PUBLIC = "public", "Public (listed)"


class Collection(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    name = models.CharField(max_length=NAME_MAX)
    description = models.TextField(blank=True, default="", db_default="", max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,  # idx_collections_created_by
        null=True,
        blank=True,
        related_name="collections",
        help_text="Empty for a site-curated collection, which is always public.",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE, db_default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "collections"
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["name"], name="idx_collections_name"),
            models.Index(fields=["created_by"], name="idx_collections_created_by"),
            models.Index(fields=["created_at"], name="idx_collections_created_at"),
            models.Index(fields=["visibility", "-created_at"], name="collections_visible_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(name__length__gte=1, name__length__lte=NAME_MAX),
                name="collections_collection_name_length",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="collections_collection_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(created_by__isnull=False) | Q(visibility=Visibility.PUBLIC),
                name="collections_collection_curated_is_public",
                violation_error_message="Site-curated collections (no owner) must be public.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CollectionGroup(models.Model):
    """A named, ordered group inside a collection (table ``groups``). Positions are 0..n-1 per collection."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    # Indexed under the specification's names (Meta.indexes), not Django's generated ones.
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="groups", db_index=False
    )
    name = models.CharField(max_length=NAME_MAX)
    description = models.TextField(blank=True, default="", db_default="", max_length=5000)
    position = models.PositiveIntegerField(db_default=0)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        db_table = "groups"
        ordering = ["collection", "position"]
        indexes = [
            models.Index(fields=["collection"], name="idx_groups_collection_id"),
            models.Index(fields=["collection", "position"], name="idx_groups_position"),
            models.Index(fields=["created_at"], name="idx_groups_created_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(name__length__gte=1, name__length__lte=NAME_MAX),
                name="collections_group_name_length",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=0), name="collections_group_position_non_negative"
            ),
            models.UniqueConstraint(
                fields=["collection", "name"],
                name="collections_group_name_unique",
                violation_error_message="This collection already has a group with that name.",
            ),
            # Deferred, so a shift of many positions may pass through ties inside its transaction.
            models.UniqueConstraint(
                fields=["collection", "position"],
                name="collections_group_position_unique",
                deferrable=Deferrable.DEFERRED,
            ),
            # Target of group_books' composite foreign key (a group's books live in its own collection).
            models.UniqueConstraint(
                fields=["id", "collection"], name="collections_group_id_collection_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CollectionBook(models.Model):
    pk = models.CompositePrimaryKey("collection_id", "book_id")
    # Indexed under the specification's names (Meta.indexes), not Django's generated ones.
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="memberships")
    book = models.ForeignKey(
        "catalog.Book", on_delete=models.CASCADE, related_name="collection_memberships", db_index=False
    )
    added_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "collection_books"
        indexes = [
            models.Index(fields=["book"], name="idx_collection_books_book_id"),
            models.Index(fields=["added_at"], name="idx_collection_books_added_at"),
            # A collection's books by date added, a page at a time.
            models.Index(F("collection"), F("added_at"), name="collection_books_added_idx"),
        ]

    def __str__(self) -> str:
        return f"“{self.book}” in {self.collection}"


class GroupBook(models.Model):
    """A book's place in a group. ``collection`` repeats the group's collection so that a composite
    foreign key to ``collection_books`` (migration 0002) makes "in a group ⇒ in its collection" a
    database rule, and removing a book from the collection cascades to its groups."""

    pk = models.CompositePrimaryKey("group_id", "book_id")
    group = models.ForeignKey(CollectionGroup, on_delete=models.CASCADE, related_name="entries")
    book = models.ForeignKey(
        "catalog.Book", on_delete=models.CASCADE, related_name="group_memberships", db_index=False
    )  # idx_group_books_book_id
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(db_default=0)
    added_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)

    class Meta:
        db_table = "group_books"
        ordering = ["group", "position"]
        indexes = [
            models.Index(fields=["book"], name="idx_group_books_book_id"),
            models.Index(fields=["group", "position"], name="idx_group_books_position"),
            models.Index(fields=["added_at"], name="idx_group_books_added_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__gte=0), name="collections_groupbook_position_non_negative"
            ),
            models.UniqueConstraint(
                fields=["group", "position"],
                name="collections_groupbook_position_unique",
                deferrable=Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.book}” at {self.position} in {self.group}"
