"""What admin tests ask of the admin's own endpoints."""

from django.test import Client


def autocomplete_texts(
    client: Client, *, app_label: str, model_name: str, field_name: str, term: str
) -> list[str]:
    """The labels the admin's autocomplete offers for ``term`` in a form's ``field_name``."""
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200, response.content
    return [result["text"] for result in response.json()["results"]]
