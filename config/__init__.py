"""How the project is put together: settings for each environment, the URL routes of the site and the
API, the admin site, and the embedded PostgreSQL that development and tests run on."""
