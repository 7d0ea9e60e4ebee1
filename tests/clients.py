from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import User


def client_for(user: User | None = None) -> APIClient:
    """A client signed in as ``user`` (by session, as the browsable API is), or anonymous."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def key_client(user: User, permissions: list[str]) -> APIClient:
    """A client that signs every request with a new API key of ``user`` holding ``permissions``."""
    _key, secret = account_services.api_key_create(user=user, name="test", permissions=permissions)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client
