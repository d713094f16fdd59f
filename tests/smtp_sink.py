"""A minimal SMTP server for tests that need a real one: it counts the messages it
accepted per recipient, and can hold each message after its final "." (before answering
250) until released, to let a test kill the sender mid-send. A sender that disconnects
while held never got its 250, so that message is not counted as accepted."""

import select
import socket
import socketserver
import threading
from collections import Counter


class SmtpSink:
    def __init__(self):
        self.accepted = Counter()
        self.hold = threading.Event()  # set: hold each message before answering 250
        self.release = threading.Event()
        self.holding = threading.Event()  # set while a message is held
        self.dropped = 0
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink._converse(self.connection, self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _converse(self, connection, rfile, wfile):
        def say(line):
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        say("220 sink ESMTP")
        recipients = []
        while True:
            line = rfile.readline()
            if not line:
                return
            verb = line.decode("latin-1").strip().upper()
            if verb.startswith(("EHLO", "HELO")):
                say("250 sink")
            elif verb.startswith("MAIL FROM"):
                recipients = []
                say("250 OK")
            elif verb.startswith("RCPT TO"):
                recipients.append(line.decode("latin-1").split(":", 1)[1].strip(" <>\r\n"))
                say("250 OK")
            elif verb == "DATA":
                say("354 go on")
                while rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass
                if self.hold.is_set() and not self._held_until_released(connection):
                    with self._lock:
                        self.dropped += 1
                    return
                with self._lock:
                    self.accepted.update(recipients)
                say("250 accepted")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 OK")

    def _held_until_released(self, connection) -> bool:
        """False if the sender went away while its message was held."""
        self.holding.set()
        try:
            while not self.release.wait(0.05):
                readable, _w, _x = select.select([connection], [], [], 0)
                if readable and connection.recv(1, socket.MSG_PEEK) == b"":
                    return False
            return True
        finally:
            self.holding.clear()
