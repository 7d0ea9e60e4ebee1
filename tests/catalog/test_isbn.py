import pytest

from catalog.isbn import InvalidIsbn, normalize_isbn


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0439023483", "9780439023481"),
        ("0-439-02348-3", "9780439023481"),
        ("0 439 02348 3", "9780439023481"),
        ("9780439023481", "9780439023481"),
        ("978-0-439-02348-1", "9780439023481"),
        ("080442957X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("9791032300824", "9791032300824"),
    ],
)
def test_valid_isbns_normalise_to_isbn13(raw, expected):
    assert normalize_isbn(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "0439023484",
        "9780439023482",
        "12345",
        "",
        "abcdefghij",
        "1234567890123",
        "X439023483",
        "97804390234811",
    ],
)
def test_invalid_isbns_are_refused(raw):
    with pytest.raises(InvalidIsbn):
        normalize_isbn(raw)


def test_leading_zeros_are_repaired_only_when_asked():
    assert normalize_isbn("439023483", repair_leading_zeros=True) == "9780439023481"
    with pytest.raises(InvalidIsbn):
        normalize_isbn("439023483")
