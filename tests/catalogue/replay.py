"""A local CKAN Action API that replays recorded packages, for tests and the bench.

It answers `package_search` with paging (`rows`, `start`) and the `metadata_modified` range
filter the sync sends, over the packages it holds; `mode` makes it fail in the ways real
portals do.
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


def recorded_packages(*names):
    """Packages from recorded replies in tests/fixtures/ckan (search pages or show replies)."""
    packages = []
    for name in names:
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        for reply in data if isinstance(data, list) else [data]:
            result = reply["result"]
            packages.extend(result.get("results", [result]))
    return packages


class ReplayCKAN:
    """Serves `packages` on http://127.0.0.1:<port>/api/3/action/ in a background thread."""

    def __init__(self, packages=()):
        self.packages = list(packages)
        self.mode = None
        self.fail_after_pages = None
        self.delay = 0
        self.requests = []
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
        return 200, "application/json", json.dumps({"success": True, "result": self._page(params)})

    def _page(self, params):
        packages = self.packages
        since = SINCE.search(params.get("fq", ""))
        if since:
            bound = since["since"].rstrip("Z")
            packages = [p for p in packages if p.get("metadata_modified", "") >= bound]
        start, rows = int(params.get("start", 0)), int(params.get("rows", 10))
        return {"count": len(packages), "results": packages[start : start + rows]}

    def _handler(self):
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                if not url.path.endswith("/api/3/action/package_search"):
                    self._send(404, "application/json", '{"success": false, "error": {}}')
                    return
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                self._send(*replay.reply(params))

            def _send(self, status, content_type, body):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may have given up already (timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format, *args):
                pass

        return Handler
