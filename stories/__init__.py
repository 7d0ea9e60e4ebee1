"""Narrated stories about code repositories: a worker reads a repository, writes chapters that explain it
in its own words, and speaks them, with a transcript; a story can also tell what changed since an earlier
one."""
