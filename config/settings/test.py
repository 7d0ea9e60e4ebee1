from .base import *  # noqa: F403
from .base import DATABASES

# Concurrency tests open one connection per thread; a small pool would make them queue.
DATABASES["default"]["OPTIONS"].pop("pool", None)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
DEBUG = False
STORY_ALLOW_LOCAL_REPOSITORIES = True
