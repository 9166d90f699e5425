"""A local "Stripe" in front of the stand-in: it forwards every request unchanged and changes the JSON
answer of chosen routes, so a test can send what Stripe's schema allows but the stand-in never says
(a nullable field as null). The app talks to it through the SDK like to any Stripe; nothing of ours is
patched."""

import json
import re
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FORWARDED = ("Authorization", "Content-Type", "Idempotency-Key", "Stripe-Version", "User-Agent", "X-Stripe-Client-User-Agent")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class DoctoredStripe:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.changes = []  # (method, path pattern, function changing the answer's dict in place)
        self.changed = 0
        doctor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                doctor._forward(self, "GET")

            def do_POST(self):
                doctor._forward(self, "POST")

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def change(self, method: str, path_pattern: str, function) -> None:
        """Change the 200 answers to `method` on paths matching `path_pattern` (a whole-path regex)."""
        self.changes.append((method, re.compile(path_pattern), function))

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _forward(self, handler, method):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        headers = {name: handler.headers[name] for name in FORWARDED if handler.headers.get(name)}
        request = urllib.request.Request(self.upstream + handler.path, data=body, method=method, headers=headers)
        try:
            with _OPENER.open(request, timeout=10) as response:
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read()
        path = handler.path.split("?", 1)[0]
        for change_method, pattern, function in self.changes:
            if status == 200 and method == change_method and pattern.fullmatch(path):
                payload = json.loads(answer)
                function(payload)
                answer = json.dumps(payload).encode()
                self.changed += 1
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(answer)))
        handler.end_headers()
        handler.wfile.write(answer)
