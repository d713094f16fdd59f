"""A local CKAN Action API that replays recorded packages, for tests and the bench.

It answers `package_search` with paging (`rows`, `start`), the `sort` orders the sync asks
for and the `metadata_modified` range filter, and `package_show` by id, over the packages it
holds. `glitches`, `mode` and `after_page` make it fail or change in the ways real portals do.
"""

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ckan"
SINCE = re.compile(r"metadata_modified:\[(?P<since>\S+) TO \*\]")
NOT_FOUND = {"__type": "Not Found Error", "message": "Introuvable"}


def recorded_packages(*names):
    """Packages from recorded replies in tests/fixtures/ckan (search pages or show replies)."""
    packages = []
    for name in names:
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        for reply in data if isinstance(data, list) else [data]:
            result = reply["result"]
            packages.extend(result.get("results", [result]))
    return packages


def _sort_key(sort):
    """Solr's order for the sorts the sync sends; the recorded order otherwise."""
    fields = [part.split()[0] for part in (sort or "").split(",") if part.strip()]
    if not fields:
        return None
    return lambda package: tuple(str(package.get(name, "")) for name in fields)


class ReplayCKAN:
    """Serves `packages` on http://127.0.0.1:<port>/api/3/action/ in a background thread.

    - `glitches`: failures served to the next requests, one each, before normal replies: an
      HTTP status (an HTML error page), "hangup" (connection closed, no reply) or "stall"
      (no reply for `stall_for` seconds, then a normal one) or ("redirect", location) (a 302);
    - `mode`: every package_search fails ("http-error", "garbage", "failure", "bad-result")
      or drips its reply one byte every `drip_interval` s ("drip-body", "drip-headers") for
      at most `drip_for` s;
    - `after_page(number)`: called once a page has been served, to change the catalogue
      while the sync pages through it.
    """

    def __init__(self, packages=()):
        self.packages = list(packages)
        self.mode = None
        self.glitches = []
        self.fail_after_pages = None
        self.delay = 0
        self.stall_for = 1
        self.drip_interval = 0.05
        self.drip_for = 5
        self.after_page = None
        self.requests = []
        self.shows = []
        self.hosts = []  # each request's Host header
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/3/action/"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _glitch(self):
        with self._lock:
            return self.glitches.pop(0) if self.glitches else None

    def reply(self, params):
        """(status, content type, body) for one package_search call."""
        self.requests.append(params)
        if self.delay:
            time.sleep(self.delay)
        if self.fail_after_pages is not None and len(self.requests) > self.fail_after_pages:
            return 500, "text/html", "<h1>Internal Server Error</h1>"
        if self.mode == "http-error":
            return 502, "text/html", "<html><body>Bad Gateway</body></html>"
        if self.mode == "garbage":
            return 200, "text/html", "<html>Maintenance en cours</html>"
        if self.mode == "failure":
            error = {"__type": "Not Found Error", "message": "Introuvable"}
            return 200, "application/json", json.dumps({"success": False, "error": error})
        if self.mode == "bad-result":
            return 200, "application/json", json.dumps({"success": True, "result": "nope"})
        page = self._page(params)
        if self.after_page:
            self.after_page(len(self.requests))
        return 200, "application/json", json.dumps({"success": True, "result": page})

    def show(self, params):
        """(status, content type, body) for one package_show call."""
        self.shows.append(params["id"])
        for package in self.packages:
            if package.get("id") == params.get("id"):
                return 200, "application/json", json.dumps({"success": True, "result": package})
        return 404, "application/json", json.dumps({"success": False, "error": NOT_FOUND})

    def _page(self, params):
        packages = self.packages
        since = SINCE.search(params.get("fq", ""))
        if since:
            bound = since["since"].rstrip("Z")
            packages = [p for p in packages if p.get("metadata_modified", "") >= bound]
        key = _sort_key(params.get("sort"))
        if key:
            packages = sorted(packages, key=key)
        start, rows = int(params.get("start", 0)), int(params.get("rows", 10))
        return {"count": len(packages), "results": packages[start : start + rows]}

    def _handler(self):
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                replay.hosts.append(self.headers.get("Host"))
                glitch = replay._glitch()
                if isinstance(glitch, tuple):
                    self._redirect(glitch[1])
                    return
                if glitch == "hangup":
                    self.close_connection = True
                    return
                if glitch == "stall":
                    time.sleep(replay.stall_for)
                elif glitch is not None:
                    self._send(glitch, "text/html", f"<h1>Erreur {glitch}</h1>")
                    return
                if url.path.endswith("/api/3/action/package_search"):
                    reply = replay.reply(params)
                elif url.path.endswith("/api/3/action/package_show"):
                    reply = replay.show(params)
                else:
                    reply = 404, "text/html", "<h1>Page introuvable</h1>"
                if replay.mode in {"drip-body", "drip-headers"}:
                    self._drip(*reply)
                else:
                    self._send(*reply)

            def _send(self, status, content_type, body):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up already (timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _drip(self, status, content_type, body):
                """One byte at a time: each read is quick, the whole reply takes forever."""
                data = body.encode()
                head = (
                    f"HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n"
                ).encode()
                if replay.mode == "drip-body":
                    self.wfile.write(head)
                    head = b""
                started = time.monotonic()
                for byte in head + data:
                    if time.monotonic() - started > replay.drip_for:
                        break
                    try:
                        self.wfile.write(bytes([byte]))
                    except (BrokenPipeError, ConnectionResetError):
                        break
                    time.sleep(replay.drip_interval)
                self.close_connection = True

            def log_message(self, format, *args):
                pass

        return Handler
