"""Collections of books, private, unlisted or public, with named groups whose books keep their order."""
