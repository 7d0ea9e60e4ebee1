"""Domain errors services raise; plain Python, so a service never imports the web layer to raise one.
The API's exception handler (``api.exceptions``) turns them into responses."""


class ConflictError(Exception):
    """Raised by services when a write contradicts existing state; the API answers 409 with the message,
    or with ``{field: [message]}`` when given a dict naming the field (a duplicate email, say)."""


class QuotaExceededError(Exception):
    """Raised by services when a quota is used up; the API answers 429 with Retry-After."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
