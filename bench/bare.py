"""The baseline of each read endpoint: a view that runs exactly the SQL statements the endpoint ran
(captured by ``bench/api.py`` into the file ``BENCH_BARE_STATEMENTS`` names, the rate-limit counter left
out) and encodes the rows with orjson. What Folio spends beyond it is Python: routing, permissions,
filtering, serialisation, rendering."""

import json
import os
from pathlib import Path

import orjson
from django.db import connection
from django.http import HttpResponse

STATEMENTS: dict[str, list[str]] = json.loads(Path(os.environ["BENCH_BARE_STATEMENTS"]).read_text())


def bare(request, name: str) -> HttpResponse:
    results = []
    with connection.cursor() as cursor:
        for sql in STATEMENTS[name]:
            cursor.execute(sql)
            if cursor.description is not None:
                columns = [column.name for column in cursor.description]
                results.append([dict(zip(columns, row, strict=True)) for row in cursor.fetchall()])
    return HttpResponse(orjson.dumps(results, default=str), content_type="application/json")
