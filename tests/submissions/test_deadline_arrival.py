"""The deadline counts when a submit reached the site (the proxy's X-Request-Start), not
when a busy web worker got to it; the header is believed only from a configured proxy."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from hackqc.exceptions import PhaseClosedError
from hackqc.models import Phase
from submissions.models import SubmissionVersion
from tests.factories.core import EditionFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import MembershipFactory

PROXY = {"TRUSTED_PROXY_COUNT": 1, "TRUSTED_PROXIES": ["10.0.0.0/8"]}


def _url(sheet):
    return reverse("submissions:submit", args=[sheet.edition.slug, sheet.team_id])


def _start(instant):
    return f"t={instant.timestamp():.3f}"  # nginx: "t=${msec}"


def _submit(sheet, user, *, arrived, peer="10.0.0.2", client=None):
    client = client or Client()
    client.force_login(user)
    return client.post(
        _url(sheet),
        {"lock_version": sheet.lock_version},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR="198.51.100.4",
        HTTP_X_REQUEST_START=_start(arrived),
    )


@pytest.fixture
def sheet(db):
    edition = EditionFactory(phase=Phase.HACKING)
    sheet = SubmissionFactory(team__edition=edition, complete=True, with_dataset=True)
    MembershipFactory(team=sheet.team)
    return sheet


def _member(sheet):
    return sheet.team.memberships.first().user


@override_settings(**PROXY)
def test_a_submit_that_arrived_before_the_deadline_is_accepted_and_stamped_then(sheet):
    close = sheet.edition.submissions_close
    arrived = close - dt.timedelta(seconds=4)

    with time_machine.travel(close + dt.timedelta(seconds=8), tick=False):
        _submit(sheet, _member(sheet), arrived=arrived)

    version = SubmissionVersion.objects.get()
    assert abs(version.submitted_at - arrived) < dt.timedelta(milliseconds=1)
    assert version.submitted_at < close  # so it is the version the jury judges


@override_settings(**PROXY)
def test_a_request_start_from_anyone_but_the_proxy_is_ignored(sheet):
    close = sheet.edition.submissions_close

    with time_machine.travel(close + dt.timedelta(seconds=8), tick=False):
        _submit(sheet, _member(sheet), arrived=close - dt.timedelta(seconds=4), peer="192.0.2.9")

    assert not SubmissionVersion.objects.exists()


@override_settings(TRUSTED_PROXY_COUNT=0, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_without_a_configured_proxy_the_header_is_ignored(sheet):
    close = sheet.edition.submissions_close

    with time_machine.travel(close + dt.timedelta(seconds=8), tick=False):
        _submit(sheet, _member(sheet), arrived=close - dt.timedelta(seconds=4))

    assert not SubmissionVersion.objects.exists()


@override_settings(**PROXY)
def test_a_submit_that_arrived_after_the_deadline_is_refused(sheet):
    close = sheet.edition.submissions_close

    with time_machine.travel(close + dt.timedelta(seconds=8), tick=False):
        _submit(sheet, _member(sheet), arrived=close + dt.timedelta(milliseconds=1))

    assert not SubmissionVersion.objects.exists()


@override_settings(**PROXY, REQUEST_START_MAX_AGE=60)
def test_a_request_start_older_than_the_maximum_age_gains_no_more(sheet):
    close = sheet.edition.submissions_close

    # A proxy clock two minutes late: the request counts as 60 s old at most.
    with time_machine.travel(close + dt.timedelta(seconds=90), tick=False):
        _submit(sheet, _member(sheet), arrived=close - dt.timedelta(seconds=30))

    assert not SubmissionVersion.objects.exists()


@override_settings(**PROXY)
def test_a_request_start_in_the_future_counts_as_now(sheet):
    close = sheet.edition.submissions_close

    with time_machine.travel(close + dt.timedelta(seconds=1), tick=False):
        # a proxy clock ahead: arrival is the present, after the deadline
        _submit(sheet, _member(sheet), arrived=close + dt.timedelta(hours=2))

    assert not SubmissionVersion.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(**PROXY)
def test_a_hundred_submits_in_the_last_ten_seconds_are_all_accepted():
    """100 teams submit in the last 10 s before the deadline; the workers, queued behind the
    crowd, serve them after it, ten at a time, each on its own PostgreSQL connection."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent requests, each on its own connection")
    edition = EditionFactory(phase=Phase.HACKING)
    sheets = [
        SubmissionFactory(team__edition=edition, complete=True, with_dataset=True)
        for _ in range(100)
    ]
    members = [MembershipFactory(team=sheet.team).user for sheet in sheets]
    close = edition.submissions_close
    arrivals = [close - dt.timedelta(seconds=10) + dt.timedelta(seconds=i / 10) for i in range(100)]

    def submit(i):
        try:
            response = _submit(sheets[i], members[i], arrived=arrivals[i])
            return response.status_code, response.headers.get("Location", "")
        finally:
            connections.close_all()

    with (
        time_machine.travel(close + dt.timedelta(seconds=2)),
        ThreadPoolExecutor(max_workers=10) as pool,
    ):
        outcomes = list(pool.map(submit, range(100)))

    assert all(status == 302 and "history" in location for status, location in outcomes)
    versions = SubmissionVersion.objects.all()
    assert versions.count() == 100
    assert all(v.submitted_at < close for v in versions)


# Saves of the sheet (issue 17): the same clock as the submit ----------------------------


def _save_sheet(sheet, user, *, arrived, peer="10.0.0.2", title):
    from tests.submissions.test_sheet_editing import _loaded_form_data

    client = Client()
    client.force_login(user)
    data = _loaded_form_data(client, sheet)  # loaded before the deadline
    data["title"] = title
    url = reverse("submissions:team_sheet", args=[sheet.edition.slug, sheet.team_id])
    with time_machine.travel(sheet.edition.submissions_close + dt.timedelta(seconds=8), tick=False):
        return client.post(
            url,
            data,
            REMOTE_ADDR=peer,
            HTTP_X_FORWARDED_FOR="198.51.100.4",
            HTTP_X_REQUEST_START=_start(arrived),
        )


@override_settings(**PROXY)
def test_a_sheet_save_that_arrived_before_the_deadline_is_saved(sheet):
    arrived = sheet.edition.submissions_close - dt.timedelta(seconds=3)

    response = _save_sheet(sheet, _member(sheet), arrived=arrived, title="Sauvé à temps")

    sheet.refresh_from_db()
    assert response.status_code == 302
    assert sheet.title == "Sauvé à temps"


@override_settings(**PROXY)
def test_a_sheet_save_that_arrived_after_the_deadline_is_refused_and_the_text_kept(sheet):
    before = sheet.title
    arrived = sheet.edition.submissions_close + dt.timedelta(seconds=1)

    response = _save_sheet(sheet, _member(sheet), arrived=arrived, title="Trop tard")

    sheet.refresh_from_db()
    assert sheet.title == before
    assert "the deadline has passed" in response.content.decode()
    assert response.context["form"]["title"].value() == "Trop tard"  # typed text not lost


@override_settings(**PROXY)
def test_a_sheet_saves_request_start_from_anyone_but_the_proxy_is_ignored(sheet):
    before = sheet.title
    arrived = sheet.edition.submissions_close - dt.timedelta(seconds=3)

    _save_sheet(sheet, _member(sheet), arrived=arrived, title="Usurpé", peer="192.0.2.9")

    sheet.refresh_from_db()
    assert sheet.title == before


@override_settings(**PROXY)
def test_removing_a_dataset_that_arrived_before_the_deadline_counts_arrival(sheet):
    from submissions import services

    link = sheet.dataset_links.first()
    close = sheet.edition.submissions_close

    with time_machine.travel(close + dt.timedelta(seconds=8), tick=False):
        with pytest.raises(PhaseClosedError):
            services.unlink_dataset(link, by=_member(sheet))
        services.unlink_dataset(link, by=_member(sheet), arrived_at=close - dt.timedelta(seconds=2))

    assert not sheet.dataset_links.exists()
