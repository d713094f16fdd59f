"""Serving the site for the benches that measure it over HTTP, as in production: gunicorn
with production settings on the bench's throwaway database, static files collected, and
the README section each bench writes. One place, for `page_speed.py` and `hackathon_day.py`.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(test_name: str) -> str:
    """DATABASE_URL with the bench's throwaway database in place of the configured one."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + test_name))


def start_gunicorn(app, database_url, *, workers, threads=1, probe="/fr/", log_level="WARNING",
                   extra_args=()):  # fmt: skip
    """Starts gunicorn serving `app` on a free local port with production settings; returns
    (process, base URL) once `probe` answers below 500. The sessions a bench made are signed
    with this process's SECRET_KEY, so gunicorn gets the same one."""
    from django.conf import settings

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": log_level,
        "PYTHONPATH": str(ROOT / "bench"),  # for bench/trivial_wsgi.py
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"), app,
        "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning",
        *extra_args,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(base + probe, timeout=5).status_code < 500:
                return process, base
        except requests.RequestException:
            pass
        time.sleep(0.5)
    stop(process)
    raise SystemExit(f"gunicorn {app} did not start")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def worker_rss_mb(process) -> list[float]:
    """Resident memory of the gunicorn master's workers, in MB."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024)
    return sizes


def collectstatic():
    """Production settings serve hashed static files: collect them first."""
    env = {**os.environ, "DJANGO_DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def write_readme_section(name: str, text: str) -> None:
    """`readme.write_section`: the README's tables are the benches' output."""
    from readme import write_section

    write_section(name, text)
