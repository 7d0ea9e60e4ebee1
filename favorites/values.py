"""The favorites contract's value (the Skriptoteket specification's frozen ``UserFavorite``): what a
favorite is, as services and selectors hand it to callers, detached from the model and the database."""

import uuid
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Favorite:
    user_id: uuid.UUID
    book_id: uuid.UUID
    created_at: datetime
