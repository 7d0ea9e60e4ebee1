import pytest

from core.bulk import bulk_update_by_copy
from reviews.models import LibraryImport, LibraryImportRow
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_other_rows_keep_theirs():
    library_import = LibraryImport.objects.create(
        user=UserFactory(), source="goodreads", file_sha256="0" * 64
    )
    rows = LibraryImportRow.objects.bulk_create(
        [LibraryImportRow(library_import=library_import, number=n, cells={}, entry={}) for n in range(1, 5)]
    )
    updated = bulk_update_by_copy(
        table="library_import_rows",
        columns=[
            ("id", "bigint"),
            ("outcome", "text"),
            ("notes", "jsonb"),
            ("match_confidence", "double precision"),
        ],
        rows=[
            (rows[0].pk, "created", '["a \\"quoted\\" note", "tab\\there"]', 0.5),
            (rows[2].pk, "unmatched", "[]", None),
        ],
    )
    assert updated == 2
    got = {
        row.number: (row.outcome, row.notes, row.match_confidence) for row in LibraryImportRow.objects.all()
    }
    assert got == {
        1: ("created", ['a "quoted" note', "tab\there"], 0.5),
        2: ("pending", [], None),
        3: ("unmatched", [], None),
        4: ("pending", [], None),
    }
