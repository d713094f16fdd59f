"""Notices that an app puts on an edition's public pages (the gallery, the edition page):
the jury app's "the people's-choice vote is open", say. Providers register in their app's
`AppConfig.ready()`, so the lower apps show them without importing the app above."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Notice:
    message: str
    link_label: str
    url: str


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    """Adds `provider(edition, now) -> list[Notice]`; safe to call twice."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def edition_notices(edition, now=None) -> list[Notice]:
    now = now or timezone.now()
    return [notice for provider in _providers for notice in provider(edition, now)]
