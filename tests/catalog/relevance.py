"""Queries a reader types, each with the goodbooks-10k book (its ``book_id``) the reader means, by kind.

Authors alone and series names mean the author's or the series' best-known book. Kept apart from the test
so the benchmark and a curious developer can run the same set (``bench/search.py`` prints the scores)."""

QUERIES: list[tuple[str, str, int]] = [
    # exact titles, including ones a longer title contains
    ("exact", "pride and prejudice", 10),
    ("exact", "the great gatsby", 5),
    ("exact", "1984", 13),
    ("exact", "dune", 126),
    ("exact", "holes", 77),
    ("exact", "emma", 171),
    ("exact", "mockingjay", 20),
    ("exact", "the stand", 168),
    ("exact", "animal farm", 14),
    ("exact", "the trial", 614),
    # titles made only of stop words
    ("stop words", "it", 176),
    ("stop words", "we", 2187),
    ("stop words", "us", 2653),
    # typos
    ("typo", "harry poter", 2),
    ("typo", "the hobit", 7),
    ("typo", "hunger gmes", 1),
    ("typo", "to kill a mokingbird", 4),
    ("typo", "catcher in the ry", 8),
    ("typo", "the da vinci cod", 26),
    ("typo", "slaughterhouse five", 65),
    ("typo", "of mice and man", 32),
    ("typo", "the grapes of rath", 131),
    # missing accents
    ("accents", "les miserables", 109),
    ("accents", "garcia marquez", 94),
    ("accents", "suskind perfume", 397),
    ("accents", "shadow of the wind zafon", 258),
    ("accents", "jane eyre bronte", 43),
    # variant spellings of authors
    ("variant", "dostoevsky", 177),
    ("variant", "dostoevsky brothers karamazov", 485),
    ("variant", "tolstoi anna karenina", 172),
    ("variant", "tolkein hobbit", 7),
    # prefixes of the word being typed
    ("prefix", "mockingb", 4),
    ("prefix", "the hunger ga", 1),
    ("prefix", "a game of thr", 39),
    ("prefix", "the fault in our st", 6),
    ("prefix", "harry potter and the gob", 24),
    ("prefix", "slaughterh", 65),
    # authors alone
    ("author", "stephen king", 72),
    ("author", "jane austen", 10),
    ("author", "paulo coelho", 35),
    ("author", "kurt vonnegut", 65),
    ("author", "john steinbeck", 32),
    ("author", "albert camus", 162),
    # series names
    ("series", "harry potter", 2),
    ("series", "the hunger games", 1),
    ("series", "twilight", 3),
    ("series", "percy jackson", 41),
    ("series", "mortal instruments", 51),
    ("series", "narnia", 37),
    # author and title together
    ("author + title", "orwell 1984", 13),
    ("author + title", "tolkien hobbit", 7),
    ("author + title", "austen emma", 171),
    ("author + title", "king carrie", 237),
    ("author + title", "rowling chamber of secrets", 23),
    ("author + title", "gaiman american gods", 167),
    ("author + title", "camus the plague", 872),
    ("author + title", "hemingway old man and the sea", 130),
]
