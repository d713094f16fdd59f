"""A wall-clock limit on an HTTP exchange made with requests.

requests' timeout bounds each socket read, not the whole reply: a server sending one byte a
second never trips it. Sessions from `watched_session()` report the sockets they open to the
`Watchdog` of the thread, which shuts them down when its time is up; the blocked read then
fails at once. Their connections also go only to addresses the sync may read (connect.py).
"""

import contextlib
import socket
import threading

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import pool_classes_by_scheme as default_pool_classes

from .connect import GuardedConnectionMixin, PortalSession


class Watchdog:
    """Shuts down the sockets opened in this thread under it once `seconds` have passed;
    `expired` then tells the caller that a failed or short reply was cut by the deadline."""

    _current = threading.local()

    def __init__(self, seconds):
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0), self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._current.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()
        self._current.watchdog = None
        with self._lock:
            self._sockets.clear()

    @classmethod
    def watch(cls, sock):
        """Called by the connections below for each socket they open in this thread."""
        watchdog = getattr(cls._current, "watchdog", None)
        if watchdog is None or sock is None:
            return
        with watchdog._lock:
            watchdog._sockets.append(sock)
            if watchdog.expired:
                _shut(sock)

    def _expire(self):
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock):
    with contextlib.suppress(OSError):
        # socket.socket's own shutdown: SSLSocket's first drops its TLS state, which the
        # reading thread is using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _WatchedHTTPConnection(GuardedConnectionMixin, HTTPConnection):
    def connect(self):
        super().connect()
        Watchdog.watch(self.sock)


class _WatchedHTTPSConnection(GuardedConnectionMixin, HTTPSConnection):
    def connect(self):
        super().connect()
        Watchdog.watch(self.sock)


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter whose connections report their sockets to the current `Watchdog`."""

    pools = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self._watch(self.poolmanager)

    def proxy_manager_for(self, *args, **kwargs):
        return self._watch(super().proxy_manager_for(*args, **kwargs))

    def _watch(self, manager):
        # Only urllib3's own pools are swapped: a SOCKS proxy manager brings its own.
        if manager.pool_classes_by_scheme == default_pool_classes:
            manager.pool_classes_by_scheme = self.pools
        return manager


def watched_session():
    session = PortalSession()
    session.mount("http://", _WatchedAdapter())
    session.mount("https://", _WatchedAdapter())
    return session
