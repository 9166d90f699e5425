"""A small closed-loop load generator on keep-alive connections (standard library only)."""

import http.client
import threading
import time


def fixed(method, path, body=None, headers=None):
    """The same request every time."""
    return lambda index, counter: (method, path, body, headers or {})


class Load:
    """Keep `concurrency` connections busy for `seconds`; `request_for(worker, n)` gives each request."""

    def __init__(self, port, request_for, *, concurrency, seconds):
        self.port, self.request_for = port, request_for
        self.concurrency, self.seconds = concurrency, seconds
        self.latencies, self.errors, self.statuses = [], 0, {}
        self.lock = threading.Lock()

    def _connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def _worker(self, deadline, index):
        connection = self._connection()
        local, errors, statuses, counter = [], 0, {}, 0
        while time.perf_counter() < deadline:
            method, path, body, headers = self.request_for(index, counter)
            counter += 1
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = self._connection()
                continue
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status >= 500:
                errors += 1
            local.append(time.perf_counter() - started)
        connection.close()
        with self.lock:
            self.latencies.extend(local)
            self.errors += errors
            for status, count in statuses.items():
                self.statuses[status] = self.statuses.get(status, 0) + count

    def run(self):
        deadline = time.perf_counter() + self.seconds
        threads = [threading.Thread(target=self._worker, args=(deadline, i)) for i in range(self.concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies = sorted(self.latencies)
        return {
            "requests": len(latencies),
            "errors": self.errors,
            "statuses": self.statuses,
            "rps": len(latencies) / elapsed,
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
            "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)] if latencies else None,
        }


def all_at_once(port, requests):
    """Send every (method, path, body, headers) at the same moment; return (seconds, statuses)."""
    barrier = threading.Barrier(len(requests) + 1)
    statuses = [None] * len(requests)

    def send(index, request):
        method, path, body, headers = request
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        barrier.wait()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[index] = (response.status, response.getheader("Location") or "")
        except (OSError, http.client.HTTPException) as error:
            statuses[index] = (0, str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, statuses
