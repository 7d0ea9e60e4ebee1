"""Readers' star ratings and reviews, one per reader and book, with each book's rating figures kept exact
by the database itself; and a reader's library brought from Goodreads or StoryGraph, or taken back out."""
