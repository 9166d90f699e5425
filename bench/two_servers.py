"""Two web servers, one database and one cache: (a) booking attempts alternating between them never
oversell a session; (b) a change made through one server shows at once on the other's cached page."""

from bench.race import all_at_once, booking_post, outcomes, read_clients, send

FULL_BADGE = "places-full"  # the "full" chip of a booking row: templates/classes/includes/session_list.html


def cached_page(port, path) -> tuple:
    """(number of full sessions shown, X-Page-Cache) of a public page as a visitor gets it."""
    status, headers, body = send(port, "GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return body.count(FULL_BADGE), headers.get("X-Page-Cache", "")


def change_shows_on_other(ports, paths, client) -> dict:
    """The week page, cached on server B; server A books the last place of a session in that week;
    B's page must show that session full on the very next request."""
    first, second = ports
    week = paths["pair_week"]
    cached_page(second, week)
    full_before, cache_before = cached_page(second, week)
    status, headers, _ = send(first, *booking_post(paths["book"]["probe"], client))
    booked = status == 302 and "/mijn-boekingen/" in headers.get("Location", "")
    full_after, cache_after = cached_page(second, week)
    shown = booked and cache_before == "hit" and full_after == full_before + 1
    return {
        "name": "two servers: change on A shows at once on B's cached page", "booked_on_a": booked,
        "b_before": {"full_sessions": full_before, "page_cache": cache_before},
        "b_after": {"full_sessions": full_after, "page_cache": cache_after}, "shown_at_once": shown,
        "summary": (f"B served the week page from its cache ({cache_before}) with {full_before} full; A booked the last place "
                    f"({'ok' if booked else 'FAILED'}); B's next answer ({cache_after or 'not cached'}) shows {full_after} full: "
                    f"{'shown at once' if shown else 'NOT shown'}"),
    }


def no_oversell(ports, paths, clients, places_of) -> dict:
    """Every attempt at once, alternating between the servers, for a session with fewer places."""
    path = paths["book"]["pair"]
    requests = [(ports[index % 2], *booking_post(path, client)) for index, client in enumerate(clients)]
    seconds, answers = all_at_once(requests)
    result = {"name": f"two servers: {len(clients)} attempts alternating for a session of few places", **outcomes(answers, path),
              "seconds": round(seconds, 2), **places_of("pair")}
    result["oversold"] = max(0, result["confirmed"] - result["capacity"])
    result["consistent"] = result["places_taken"] == result["confirmed"] == result["booked"] == result["capacity"]
    result["summary"] = (f"{result['booked']} booked, {result['refused']} refused, {result['errors']} errors in {seconds:.2f} s; "
                         f"database: capacity {result['capacity']}, places_taken {result['places_taken']}, "
                         f"{result['confirmed']} confirmed bookings: {result['oversold']} oversold"
                         f"{'' if result['consistent'] else ' (NOT consistent)'}")
    return result


def check(ports, paths, pair_file, places_of) -> list:
    clients = read_clients(pair_file)
    return [change_shows_on_other(ports, paths, clients[-1]), no_oversell(ports, paths, clients[:-1], places_of)]
