"""Hackathon day under load: how many web workers and threads the site needs.

Builds a throwaway PostgreSQL database holding the day (an edition in its hacking hours,
30 teams of 4 editing their sheets; an edition being judged, 30 judges saving reviews; a
published edition with 200 projects, its gallery and results; 400 datasets), starts
gunicorn on it as in production (`DJANGO_DEBUG=false`, Redis cache and broker from the
environment), then lets simulated people use the site for a bounded time, each waiting a
random think time (mean `--think` seconds) between two requests:

- visitors: the gallery (pages, challenges, searches), project pages, results and their
  `results.json`, dataset search;
- participants (logged in): their sheet, saving it (a real form post with its lock
  version), dataset autocomplete, the gallery;
- judges (logged in): their round, a project's review page, saving the review as a draft.

Prints, per kind of request and overall, the count, p50/p95/p99 of the time the person
waited (queueing included) and the errors (any 5xx, a refused save, a timeout), for each
`--config` WORKERSxTHREADS. `--readme` writes the table between the capacity markers of
README.md: the README's figures come from this script, never by hand.

Run from the repository root, with DATABASE_URL (PostgreSQL), REDIS_URL and
CELERY_BROKER_URL set: ``.venv/bin/python bench/hackathon_day.py --users 200 --duration 60``.
The test database is destroyed afterwards; nothing else is written.
"""

import argparse
import http.client
import math
import os
import random
import sys
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import serving  # noqa: E402

TEAMS, MEMBERS, JUDGES, PUBLISHED, JURY_PROJECTS, DATASETS = 30, 4, 30, 200, 120, 400
WORDS = ["vélo", "arbres", "eau", "parcs", "bus", "neige", "budget", "écoles", "bruit", "air"]
README_SECTION = "capacity"  # <!-- capacity:start --> … <!-- capacity:end -->


# The day's data ---------------------------------------------------------------------------


def build():
    """Creates the three editions and returns what the simulated people need."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db.models import F
    from django.test import Client
    from django.utils import timezone

    from hackqc.models import Edition, Phase
    from judging.generate import generate_edition
    from judging.models import Assignment, Judge, Round
    from judging.results import services as results
    from judging.results.models import AwardPolicy, Prize
    from tests.factories.catalogue import DatasetFactory, OrganizationFactory, PortalFactory
    from tests.factories.core import EditionFactory, UserFactory
    from tests.factories.submissions import SubmissionFactory
    from tests.factories.teams import MembershipFactory, TeamFactory

    rng = random.Random(2027)
    portal = PortalFactory()
    organizations = [OrganizationFactory(portal=portal) for _ in range(20)]
    datasets = [
        DatasetFactory(
            portal=portal,
            organization=rng.choice(organizations),
            title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}",
        )
        for n in range(DATASETS)
    ]

    # The published edition: gallery and results (the jury's generator, made public).
    published = generate_edition(
        submissions=PUBLISHED, judges=20, k=3, seed=2026, slug="jour-resultats"
    )
    Edition.objects.filter(pk=published.edition.pk).update(
        is_synthetic=False, show_full_ranking=True
    )
    published.edition.refresh_from_db()
    AwardPolicy.objects.create(
        edition=published.edition, require_repository=False, require_licence=False
    )
    Prize.objects.create(
        edition=published.edition, name="Grand prix", places=3, priority=1, round=published.round
    )
    organizer = UserFactory(is_staff=True)
    snapshot = results.compute_results(published.edition, by=organizer)
    results.approve_results(snapshot, by=organizer)
    results.publish_results(snapshot, by=organizer, announce=False)

    # The edition being judged: its round open now.
    jury = generate_edition(submissions=JURY_PROJECTS, judges=JUDGES, k=3, seed=7, slug="jour-jury")
    now = timezone.now()
    shift = (now - dt.timedelta(days=2)) - jury.edition.submissions_close
    Edition.objects.filter(pk=jury.edition.pk).update(
        is_synthetic=False,
        registration_opens=F("registration_opens") + shift,
        registration_closes=F("registration_closes") + shift,
        hacking_starts=F("hacking_starts") + shift,
        submissions_close=F("submissions_close") + shift,
        judging_ends=now + dt.timedelta(days=10),
    )
    Round.objects.filter(pk=jury.round.pk).update(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=9), closed_at=None
    )
    judges = []
    for judge in Judge.objects.filter(edition=jury.edition).select_related("user"):
        projects = list(
            Assignment.objects.filter(round=jury.round, judge=judge).values_list(
                "submission_id", flat=True
            )
        )
        if projects:
            judges.append((judge.user, projects))

    # The edition in its hacking hours: teams editing their sheets.
    hacking = EditionFactory(phase=Phase.HACKING, slug="jour-hacking", name="HackQC du jour")
    participants = []
    for t in range(TEAMS):
        team = TeamFactory(edition=hacking, name=f"Équipe {t}")
        sheet = SubmissionFactory(team=team, complete=True, with_dataset=True)
        for _m in range(MEMBERS):
            user = MembershipFactory(team=team).user
            participants.append((user, sheet))

    def cookie(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    get_user_model()  # all sessions are in the database, shared with gunicorn
    return {
        "published": published.edition.slug,
        "published_projects": list(
            published.edition.submissions.values_list("team_id", flat=True)[:PUBLISHED]
        ),
        "jury": (jury.edition.slug, jury.round.number),
        "judges": [(cookie(user), projects) for user, projects in judges],
        "hacking": hacking.slug,
        "participants": [(cookie(user), sheet.team_id) for user, sheet in participants],
        "datasets": [d.title.split()[0] for d in datasets[:50]],
    }


# Forms, read as a browser would -----------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the form whose action contains `action` (or the first post form)."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields, self.textarea = action, False, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.inside = not self.fields and self.action in (attrs.get("action") or self.action)
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(html, action=""):
    reader = FormReader(action)
    reader.feed(html)
    return reader.fields


# Simulated people -------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.statuses = defaultdict(int)

    def record(self, kind, seconds, ok, status=None):
        with self.lock:
            self.times[kind].append(seconds)
            if not ok:
                self.errors[kind] += 1
                self.statuses[kind, status or "timeout"] += 1


class Response:
    def __init__(self, status_code, body):
        self.status_code, self.body = status_code, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Person:
    def __init__(self, base, data, recorder, rng, role, identity=None):
        self.base, self.data, self.recorder, self.rng = base, data, recorder, rng
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port
        self.role, self.identity = role, identity
        self.cookies = {}
        if identity:
            self.cookies[settings.SESSION_COOKIE_NAME] = identity[0]

    def _call(self, kind, method, path, expect=None, data=None):
        # The standard library's client, not `requests`: 200 people in one process share
        # its CPU with the site, and what the load costs is not what the site serves.
        # Cookies are sent by hand: the production cookies are `Secure`, the bench is http.
        # One connection per request, as nginx talks to gunicorn (HTTP/1.0 by default): a
        # reused keep-alive connection the server just closed would count as an error.
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Connection": "close",
        }
        body = None
        if method == "POST":
            headers["Referer"] = self.base + path
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data or {}).encode()
        start = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            # A browser sends "é" in a query as %C3%A9; http.client sends only ASCII.
            connection.request(method, quote(path, safe="/?=&%+"), body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.read())
        except (OSError, http.client.HTTPException) as exc:
            self.recorder.record(kind, time.perf_counter() - start, False, type(exc).__name__)
            return None
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        for header in answer.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        ok = response.status_code in expect if expect else response.status_code < 400
        self.recorder.record(kind, elapsed, ok, response.status_code)
        return response

    # Actions, by role.

    def visitor(self):
        slug = self.data["published"]
        choice = self.rng.random()
        if choice < 0.30:
            page = self.rng.randint(1, 5)
            self._call("gallery", "GET", f"/fr/projects/{slug}/?page={page}")
        elif choice < 0.45:
            word = self.rng.choice(WORDS)
            self._call("search", "GET", f"/fr/projects/{slug}/?q={word}")
        elif choice < 0.55:
            team = self.rng.choice(self.data["published_projects"])
            self._call("project", "GET", f"/fr/projects/{slug}/teams/{team}/")
        elif choice < 0.80:
            self._call("results", "GET", f"/fr/results/{slug}/")
        elif choice < 0.88:
            self._call("results", "GET", f"/open-data/{slug}/results.json")
        else:
            word = self.rng.choice(WORDS)
            self._call("search", "GET", f"/fr/datasets/?q={word}")

    def participant(self):
        slug, team = self.data["hacking"], self.identity[1]
        sheet = f"/fr/projects/{slug}/teams/{team}/sheet/"
        choice = self.rng.random()
        if choice < 0.45:
            response = self._call("sheet", "GET", sheet)
            if response is not None and response.status_code == 200 and choice < 0.25:
                fields = form_fields(response.text, "sheet")
                fields["pitch"] = f"Une application utile, version {self.rng.randint(1, 10**6)}."
                # Saved (302), or a teammate saved first (409, the page says so): both are
                # the site working; a form sent back with errors (200) is not.
                self._call("sheet save", "POST", sheet, expect={302, 409}, data=fields)
        elif choice < 0.75:
            word = self.rng.choice(self.data["datasets"])[:4]
            self._call("autocomplete", "GET", f"/fr/datasets/autocomplete/?q={word}")
        else:
            self.visitor()

    def judge(self):
        (slug, number), projects = self.data["jury"], self.identity[1]
        base = f"/fr/jury/{slug}/rounds/{number}/"
        choice = self.rng.random()
        if choice < 0.15:
            self._call("jury round", "GET", base)
        elif choice < 0.85:
            review = f"{base}projects/{self.rng.choice(projects)}/"
            response = self._call("review", "GET", review)
            if response is not None and response.status_code == 200 and choice < 0.50:
                fields = form_fields(response.text, "projects")
                fields["feedback"] = f"Bon travail ({self.rng.randint(1, 10**6)})."
                fields["action"] = "draft-confirmed"
                self._call("review save", "POST", review, expect={302, 409}, data=fields)
        else:
            self.visitor()

    def run(self, until, think):
        action = getattr(self, self.role)
        time.sleep(self.rng.uniform(0, think))  # arrivals spread, not all at once
        while time.monotonic() < until:
            action()
            # No request starts after `until`: the last pause ends there, not later.
            time.sleep(max(0, min(self.rng.expovariate(1 / think), until - time.monotonic())))


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


def csrf_ready(person):
    """Every person first gets a page, so it holds the CSRF cookie a browser would."""
    response = person._call("warm-up", "GET", "/fr/")
    return response is not None


def load(base, data, *, users, duration, think, seed):
    recorder = Recorder()
    rng = random.Random(seed)
    people = []
    judges, participants = list(data["judges"]), list(data["participants"])
    for n in range(users):
        # The day's mix: 45 % participants, 15 % judges, 40 % visitors.
        share = n % 20
        if share < 9 and participants:
            role, identity = "participant", participants[n % len(participants)]
        elif share < 12 and judges:
            role, identity = "judge", judges[n % len(judges)]
        else:
            role, identity = "visitor", None
        people.append(Person(base, data, recorder, random.Random(rng.random()), role, identity))
    for person in people:
        csrf_ready(person)
    recorder.times.pop("warm-up", None)
    recorder.errors.pop("warm-up", None)
    until = time.monotonic() + duration
    threads = [threading.Thread(target=p.run, args=(until, think), daemon=True) for p in people]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    # Requests start until `until` (the last ones end within their timeout): the rate is
    # over the time requests were being sent.
    elapsed = max(until, started) - started
    return recorder, elapsed


# The server -------------------------------------------------------------------------------


# Report -----------------------------------------------------------------------------------


def table(runs, duration, think):
    lines = [
        f"Simulated people with a think time of {think:g} s on average, {duration:g} s per "
        f"run, on this machine ({os.cpu_count()} CPUs, shared with PostgreSQL, "
        "Redis and the load itself; `load before` is the 1-minute load average as the run "
        "started, other work on the machine included); times are what a person waited, "
        "queueing included:",
        "",
        "| people | workers, threads | requests/s | p50 ms | p95 ms | p99 ms | errors "
        "| slowest (p95) | load before |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (users, workers, threads), recorder, elapsed, busy in runs:
        label = f"{users} | {workers}, {threads}"
        every = _every(recorder)
        errors = sum(recorder.errors.values())
        slowest = max(
            ((kind, percentile(times, 95)) for kind, times in recorder.times.items() if times),
            key=lambda item: item[1],
            default=("—", 0.0),
        )
        lines.append(
            f"| {label} | {len(every) / elapsed:.1f} | {percentile(every, 50) * 1000:.0f} | "
            f"{percentile(every, 95) * 1000:.0f} | {percentile(every, 99) * 1000:.0f} | "
            f"{errors} of {len(every)} | {slowest[0]} ({slowest[1] * 1000:.0f} ms) | {busy:.1f} |"
        )
    most = max(users for (users, _w, _t), *_rest in runs)
    best = min((run for run in runs if run[0][0] == most), key=lambda run: _rank(run[1]))
    _users, workers, threads = best[0]
    lines += [
        "",
        f"Best measured with {most} people: `gunicorn hackqc.wsgi --workers {workers} "
        f"--threads {threads}` (p95 {percentile(_every(best[1]), 95) * 1000:.0f} ms, "
        f"{sum(best[1].errors.values())} errors).",
    ]
    return "\n".join(lines)


def _every(recorder):
    return [t for times in recorder.times.values() for t in times]


def _rank(recorder):
    """Fewest errors first, then the shortest p95."""
    return (sum(recorder.errors.values()), percentile(_every(recorder), 95))


def detail(label, recorder, elapsed):
    print(f"\n{label}: {sum(map(len, recorder.times.values())) / elapsed:.1f} requests/s")
    print(f"  {'kind':<28}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    every = []
    for kind in sorted(recorder.times):
        times = recorder.times[kind]
        every += times
        print(
            f"  {kind:<28}{len(times):>7}{percentile(times, 50) * 1000:>9.0f}"
            f"{percentile(times, 95) * 1000:>9.0f}{percentile(times, 99) * 1000:>9.0f}"
            f"{recorder.errors[kind]:>8}"
        )
    print(
        f"  {'all':<28}{len(every):>7}{percentile(every, 50) * 1000:>9.0f}"
        f"{percentile(every, 95) * 1000:>9.0f}{percentile(every, 99) * 1000:>9.0f}"
        f"{sum(recorder.errors.values()):>8}"
    )
    if recorder.statuses:
        print("  errors: " + ", ".join(f"{k} {s}: {n}" for (k, s), n in recorder.statuses.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--users", type=int, action="append", help="simulated people (repeatable; default 200)"
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds per configuration")
    parser.add_argument("--think", type=float, default=4, help="mean seconds between requests")
    parser.add_argument(
        "--config",
        action="append",
        help="WORKERSxTHREADS, e.g. 2x4 (repeatable; default 2x4, 3x2 and 4x2)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    configs = args.config or ["2x4", "3x2", "4x2"]
    if connection.vendor != "postgresql":
        print("hackathon_day: skipped, DATABASE_URL must name a PostgreSQL server.")
        return

    setup_test_environment()
    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_day"
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print("building the day's data…", flush=True)
        data = build()
        connection.close()
        serving.collectstatic()
        database_url = serving.database_url(test_name)
        runs = []
        for users in args.users or [200]:
            for config in configs:
                workers, threads = (int(n) for n in config.lower().split("x"))
                busy = os.getloadavg()[0]  # other work on the machine skews the figures
                process, base = serving.start_gunicorn(
                    "hackqc.wsgi", database_url, workers=workers, threads=threads,
                    log_level="ERROR",  # a 409 for a teammate's save is logged as a warning
                    extra_args=("--backlog", "2048"),
                )  # fmt: skip
                try:
                    label = f"{users} people, {workers} workers, {threads} threads"
                    print(f"{label}, {args.duration:g} s…", flush=True)
                    recorder, elapsed = load(
                        base, data, users=users, duration=args.duration, think=args.think,
                        seed=args.seed,
                    )  # fmt: skip
                finally:
                    serving.stop(process)
                detail(label, recorder, elapsed)
                runs.append(((users, workers, threads), recorder, elapsed, busy))
        text = table(runs, args.duration, args.think)
        print("\n" + text)
        if args.readme:
            serving.write_readme_section(README_SECTION, text)
            print("\nREADME.md updated.")
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
