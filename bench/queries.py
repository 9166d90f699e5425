"""SQL queries of one request per bench row, counted inside the bench's database (run through
`manage.py shell` with the argument SPEC_FILE: a JSON list of {name, method, path, fresh, email,
data}). Anonymous rows are counted as served: cached rows on a warm cache, fresh rows with the
cache skipped (bench/fresh.py). Prints one JSON line: {name: {"queries": n, "status": code}}."""

import json
import sys

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

FRESH = {"HTTP_X_BENCH_FRESH": "1"}


def count(spec) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    if spec["email"]:
        client.force_login(get_user_model().objects.get(email=spec["email"]))
    extra = FRESH if spec["fresh"] else {}
    if spec["method"] == "GET":
        for _ in range(2):  # her CSRF cookie, then the caches filled, as for the load (bench/pages.py warm_up)
            client.get(spec["path"], **extra)
        send = lambda: client.get(spec["path"], **extra)  # noqa: E731
    else:
        send = lambda: client.post(spec["path"], spec.get("data") or {})  # noqa: E731
    with CaptureQueriesContext(connection) as captured:
        response = send()
    return {"queries": len(captured), "status": response.status_code}


specs = json.loads(open(sys.argv[1]).read())
print(json.dumps({spec["name"]: count(spec) for spec in specs}))
