"""The credit-booking row: every POST a real new booking, all on ONE session with room for them
all (its row lock is the hard case), each from a client with a class card who has no place there
yet. bench/wrk.lua hands every line of the bookers' file out once; a short calibration round on a
second session tells how long the round can last before the lines run out."""

from bench import wrk
from bench.pages import TRIVIAL, result

CONNECTIONS = 8
MARGIN = 1.5  # the measured round may go this much faster than the calibration round


def round_seconds(calibration, *, bookers, seconds) -> int:
    """The longest round (at most `seconds`) whose attempts the bookers' file can serve with room to spare."""
    attempts = sum(calibration["statuses"].values()) + calibration["socket_errors_total"]
    per_second = attempts / calibration["duration_s"]
    return max(1, min(round(seconds), int(bookers / (MARGIN * per_second)) if per_second else round(seconds)))


def measure(port, paths, bookers_file, *, bookers, seconds, queries, pay_with="card", name="credit booking POST") -> dict:
    """`paths`: {"calibrate": ..., "book": ...}, two sessions with room for every booker."""
    calibration = wrk.book(port, paths["calibrate"], bookers_file, connections=CONNECTIONS, seconds=1, pay_with=pay_with)
    length = round_seconds(calibration, bookers=bookers, seconds=seconds)
    before = wrk.get(port, TRIVIAL, connections=CONNECTIONS, seconds=length)
    page = wrk.book(port, paths["book"], bookers_file, connections=CONNECTIONS, seconds=length, pay_with=pay_with)
    after = wrk.get(port, TRIVIAL, connections=CONNECTIONS, seconds=length)
    row = result(name, CONNECTIONS, page, before, after, queries)
    row.update({
        "successes": page["booked"], "refusals": page["refused"], "booked_per_second": round(page["rps"], 1),
        "seconds": round(page["duration_s"], 2), "bookers": bookers, "calibration_booked_per_second": round(calibration["rps"], 1),
        # A thread that ran out of bookers stopped early: the figure is then a lower bound.
        "ran_out_of_bookers": page["exhausted_threads"] > 0,
    })
    print(f"  {name} at {CONNECTIONS}: {page['rps']:.0f} booked/s", flush=True)
    return row
