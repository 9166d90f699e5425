"""The page rows of `make bench`, each measured against the trivial view on the same server in
the same run: trivial, page, trivial, next page, trivial, ... so every page sits between two
trivial rounds, and its ratio is its throughput over their mean."""

import http.client
from dataclasses import dataclass
from pathlib import Path

from bench import wrk

TRIVIAL = "/bench/trivial/"
FRESH_HEADER = "X-Bench-Fresh"  # skips the page cache on the bench's server only (bench/fresh.py)
NOISY = 0.3  # the trivial rounds around a page differ by more than this share of their mean


@dataclass
class Row:
    name: str
    path: str
    signed_in: bool = False  # as one of the prepared clients in turn, else anonymous
    fresh: bool = False  # the page cache skipped: what rendering the page costs

    def measure(self, port, clients_file, *, connections, seconds):
        if self.signed_in:
            figures = wrk.get_signed_in(port, self.path, clients_file, connections=connections, seconds=seconds, fresh=self.fresh)
        else:
            figures = wrk.get(port, self.path, connections=connections, seconds=seconds, fresh=self.fresh)
        if self.fresh and figures["cache_hits"]:
            raise RuntimeError(f"{self.name}: {figures['cache_hits']} answers came from the page cache; bench/fresh.py no longer skips it")
        return figures

    def headers(self, cookie):
        return {**({"Cookie": cookie} if self.signed_in else {}), **({FRESH_HEADER: "1"} if self.fresh else {})}

    def query_spec(self, signed_in_email):
        return {"name": self.name, "method": "GET", "path": self.path, "fresh": self.fresh,
                "email": signed_in_email if self.signed_in else None}


def rows_for(paths) -> list:
    public = [("home", paths["home"]), ("timetable", paths["timetable"]), ("session page", paths["session"]),
              ("offering page", paths["offering"])]
    if paths["post"]:
        public.append(("blog post", paths["post"]))
    signed_in = [("timetable", paths["timetable"]), ("offering page", paths["offering"]), ("session page", paths["session"]),
                 ("my bookings", paths["my_bookings"])]
    return [
        *(Row(name, path) for name, path in public),
        *(Row(f"{name} (fresh)", path, fresh=True) for name, path in public),
        *(Row(f"{name} (signed in)", path, signed_in=True) for name, path in signed_in),
        # Her own page is cached for her alone, so in life it is mostly rendered afresh: both figures.
        Row("my bookings (signed in, fresh)", paths["my_bookings"], signed_in=True, fresh=True),
    ]


def warm_up(port, row, cookies):
    """A row's page first, as each prepared client (anonymous: a few times), so the workers have
    loaded its templates and the caches hold what they would after a while: every round starts alike."""
    for cookie in cookies if row.signed_in else cookies[:4]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", row.path, headers=row.headers(cookie))
        connection.getresponse().read()
        connection.close()


def result(name, connections, page, before, after, queries) -> dict:
    trivial_rps = (before["rps"] + after["rps"]) / 2
    return {
        "name": name, "concurrency": connections, "rps": round(page["rps"], 1), "trivial_rps": round(trivial_rps, 1),
        "trivial_before_rps": round(before["rps"], 1), "trivial_after_rps": round(after["rps"], 1),
        # Trivial rounds far apart mean the machine's load changed during the page's round.
        "noisy": abs(before["rps"] - after["rps"]) > NOISY * trivial_rps,
        "ratio": round(page["rps"] / trivial_rps, 3) if trivial_rps else None,
        "p50_ms": round(page["p50_ms"], 2), "p95_ms": round(page["p95_ms"], 2), "queries": queries,
        "from_cache": round(page["cache_hits"] / max(1, sum(page["statuses"].values())), 3),
        "ok": page["ok"], "errors": page["errors"], "statuses": page["statuses"], "socket_errors": page["socket_errors"],
        "trivial_errors": before["errors"] + after["errors"],
    }


def measure(port, rows, clients_file, queries, *, connections, seconds) -> list:
    cookies = [line.split("\t")[0] for line in Path(clients_file).read_text().splitlines()]
    trivial = [wrk.get(port, TRIVIAL, connections=connections, seconds=seconds)]
    measured = []
    for row in rows:
        warm_up(port, row, cookies)
        page = row.measure(port, clients_file, connections=connections, seconds=seconds)
        trivial.append(wrk.get(port, TRIVIAL, connections=connections, seconds=seconds))
        measured.append(result(row.name, connections, page, trivial[-2], trivial[-1], queries.get(row.name)))
        print(f"  {row.name} at {connections}: {page['rps']:.0f} req/s", flush=True)
    return measured
