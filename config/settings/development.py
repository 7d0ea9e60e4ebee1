"""Development (``manage.py``'s default): DEBUG on, and with it what only a developer's machine may do."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Decided here, next to DEBUG: a developer may narrate a repository on their own disk.
STORY_ALLOW_LOCAL_REPOSITORIES = env.bool("STORY_ALLOW_LOCAL_REPOSITORIES", default=DEBUG)
