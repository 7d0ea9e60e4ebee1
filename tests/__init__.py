"""The test suite, one folder per app, against real PostgreSQL: services, the API, the admin in a real
browser, concurrency with real threads, and migrations on data."""
