import re
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError

_HH_MM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
COMMUNICATION_CHANNELS = ("email", "sms", "in_app")


# The system's zone database also holds files that are not IANA zones: "localtime" (this machine's own
# setting, different on every server) and "Factory" (a placeholder meaning "zone not set").
NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - NOT_ZONES


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(f"“{value}” is not an IANA time zone name (for example Europe/Paris).")


def validate_custom_hours(value) -> None:
    """``{"start": "HH:MM", "end": "HH:MM", "timezone": "<IANA>"}``, or null."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationError('Expected an object {"start": "HH:MM", "end": "HH:MM", "timezone": "…"}.')
    unknown = set(value) - {"start", "end", "timezone"}
    if unknown:
        raise ValidationError(f"Unknown keys: {', '.join(sorted(unknown))}.")
    for key in ("start", "end"):
        if not isinstance(value.get(key), str) or not _HH_MM.match(value[key]):
            raise ValidationError(f"“{key}” must be a time written HH:MM (24-hour).")
    if "timezone" in value:
        if not isinstance(value["timezone"], str):
            raise ValidationError("“timezone” must be a string.")
        validate_timezone(value["timezone"])


def validate_communication_preferences(value) -> None:
    """``{"email": bool, "sms": bool, "in_app": bool}``; every key optional, no others."""
    if not isinstance(value, dict):
        raise ValidationError('Expected an object {"email": bool, "sms": bool, "in_app": bool}.')
    unknown = set(value) - set(COMMUNICATION_CHANNELS)
    if unknown:
        raise ValidationError(f"Unknown channels: {', '.join(sorted(unknown))}.")
    for key, flag in value.items():
        if not isinstance(flag, bool):
            raise ValidationError(f"“{key}” must be true or false.")


def validate_json_object(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError("Expected a JSON object.")
    if len(str(value)) > 10_000:
        raise ValidationError("Too large: keep free-form preferences under 10,000 characters.")
