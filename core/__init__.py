"""Plain-Python helpers every app may use: domain errors, migration helpers, input checks and the admin's
form helpers. No DRF import here (a service raising ConflictError does not pull in the web layer), and no
import of a domain app (contracts in pyproject.toml)."""
