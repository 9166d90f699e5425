"""Correctness under concurrency, timed: many booking attempts sent at the same moment, on one
web server or alternating between two that share the database and the cache. Each attempt has a
socket of its own, connected before the clock starts; one thread writes them all, then reads the
answers (this measures what is booked and how long it takes, not throughput)."""

import http.client
import selectors
import socket
import time
from pathlib import Path


def read_clients(file) -> list:
    return [line.split("\t") for line in Path(file).read_text().splitlines() if line]


def booking_post(path, client) -> tuple:
    cookie, csrf = client
    return ("POST", path, "pay_with=card", {"Cookie": cookie, "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded"})


def send(port, method, path, body=None, headers=None, timeout=300) -> tuple:
    """One request: (status, headers, body); status 0 with the error for a socket error."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        return 0, {}, str(error)
    finally:
        connection.close()


def all_at_once(requests) -> tuple:
    """Every (port, method, path, body, headers) on a socket of its own: all connected first, then all
    written at once, then read as they finish, from one thread. Returns (seconds, answers); a socket
    error leaves the answer empty (status 0)."""
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=300) for port, *_ in requests]
    selector, received = selectors.DefaultSelector(), [b""] * len(requests)
    started = time.perf_counter()
    for index, (sock, (port, method, path, body, headers)) in enumerate(zip(sockets, requests, strict=True)):
        sock.sendall(raw_request(port, method, path, body, headers))
        selector.register(sock, selectors.EVENT_READ, index)
    while selector.get_map():
        for key, _ in selector.select():
            try:
                chunk = key.fileobj.recv(65536)
            except OSError:
                chunk, received[key.data] = b"", b""
            received[key.data] += chunk
            if not chunk:  # the server closes the connection after its answer
                selector.unregister(key.fileobj)
                key.fileobj.close()
    return time.perf_counter() - started, [parse_answer(data) for data in received]


def raw_request(port, method, path, body, headers) -> bytes:
    body = (body or "").encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close", f"Content-Length: {len(body)}",
             *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def parse_answer(data) -> tuple:
    """(status, headers, body) of a raw answer; status 0 when there was none."""
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ")
    if len(status) < 2 or not status[1].isdigit():
        return 0, {}, data.decode("latin-1")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(status[1]), headers, body.decode("utf-8", "replace")


def outcomes(answers, path) -> dict:
    """Booked (sent to "my bookings"), refused (sent back to the class), errors (anything else)."""
    booked = sum(1 for status, headers, _ in answers if status == 302 and "/mijn-boekingen/" in headers.get("Location", ""))
    refused = sum(1 for status, headers, _ in answers if status == 302 and headers.get("Location", "").endswith(path))
    return {"attempts": len(answers), "booked": booked, "refused": refused, "errors": len(answers) - booked - refused}


def race(port, path, racers_file, *, places) -> dict:
    """Every racer at once for a session of `places` places."""
    racers = read_clients(racers_file)
    seconds, answers = all_at_once([(port, *booking_post(path, racer)) for racer in racers])
    result = {"name": f"{len(racers)} concurrent attempts for {places} places", "places": places, "seconds": round(seconds, 2),
              **outcomes(answers, path)}
    result["exact"] = result["booked"] == places and result["errors"] == 0
    result["summary"] = (f"{result['booked']} booked, {result['refused']} told 'full', {result['errors']} errors, "
                         f"in {seconds:.2f} s ({'exact' if result['exact'] else 'NOT exact'})")
    return result
