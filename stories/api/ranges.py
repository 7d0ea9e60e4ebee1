"""Files served with HTTP byte ranges (RFC 9110 §14), so audio players can seek.

One range per request: a ``Range`` with several ranges, or one that is not a byte range, is answered with
the whole file (which the RFC allows); an unsatisfiable range is a 416 naming the file's size.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import http_date

SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_BYTES = 64 * 1024


def _requested_range(header: str, size: int) -> tuple[int, int] | None | Literal[False]:
    """``(first, last)`` inclusive; None for the whole file; False when no byte of the file is asked for."""
    match = SINGLE_RANGE.match(header.strip().replace(" ", ""))
    if not match or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":  # a suffix: the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first_text)
    last = min(int(last_text), size - 1) if last_text else size - 1
    if first >= size or (last_text and int(last_text) < first):
        return False
    return first, last


def _read(path: Path, first: int, last: int) -> Iterator[bytes]:
    with path.open("rb") as file:
        file.seek(first)
        remaining = last - first + 1
        while remaining > 0:
            chunk = file.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def ranged_file_response(request: HttpRequest, path: Path, content_type: str) -> HttpResponseBase:
    stat = os.stat(path)
    size = stat.st_size
    requested = _requested_range(request.headers.get("Range", ""), size)
    response: HttpResponseBase
    if requested is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif requested is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        first, last = requested
        response = StreamingHttpResponse(_read(path, first, last), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    # Per-user files: never stored by shared caches.
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
