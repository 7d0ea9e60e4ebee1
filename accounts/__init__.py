"""Readers and their accounts: email sign-in, preferences, hashed and scoped API keys, and a reader's own
data (its export and the deletion of an account). Imports no other domain app."""
