"""The books and genres everything else is about: the catalog curators keep, its typo-tolerant search,
the goodbooks import, and matching books another service describes to the catalog."""
