"""The REST API's plumbing, shared by every app's ``api/`` package: exception handler, strict
serializers, pagination, parsers, OpenAPI schema hooks and request guards. Imports no domain app."""
