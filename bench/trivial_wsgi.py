"""The trivial WSGI app `bench/page_speed.py` measures beside the site: what gunicorn, the
client and the machine allow at most."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
