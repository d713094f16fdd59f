"""The public finds the ballot: the gallery and the edition page link it while the vote is
open, and only then (the link sits outside the gallery's cached part)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def pages(client, edition):
    return [
        client.get(reverse("submissions:gallery", args=[edition.slug])).content.decode(),
        client.get(reverse("edition_detail", args=[edition.slug])).content.decode(),
    ]


def test_the_gallery_and_edition_page_link_the_open_ballot(client, vote_edition):
    edition, _projects, window, _organizer = vote_edition
    ballot = reverse("vote:ballot", args=[edition.slug])
    assert all(ballot in page for page in pages(client, edition))

    window.closes_at = timezone.now() - dt.timedelta(minutes=1)
    window.opens_at = window.closes_at - dt.timedelta(days=1)
    window.save()
    assert not any(ballot in page for page in pages(client, edition))


def test_no_link_before_the_window_opens(client, vote_edition):
    edition, _projects, window, _organizer = vote_edition
    window.opens_at = timezone.now() + dt.timedelta(hours=1)
    window.closes_at = window.opens_at + dt.timedelta(days=1)
    window.save()
    ballot = reverse("vote:ballot", args=[edition.slug])
    assert not any(ballot in page for page in pages(client, edition))
