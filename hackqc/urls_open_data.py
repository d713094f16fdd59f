"""Open data: stable, language-independent URLs (filled by the catalogue and results apps)."""

from django.urls import path, re_path

from judging.results.views import open_data

_EDITION = r"^open-data/(?P<slug>[-a-zA-Z0-9_]+)/"

urlpatterns = [
    path("open-data/", open_data.index, name="open_data_index"),
    path("open-data/openapi.json", open_data.openapi, name="open_data_openapi"),
    re_path(
        _EDITION + r"results\.(?P<fmt>json|csv|xlsx)$", open_data.results, name="open_data_results"
    ),
    re_path(
        _EDITION + r"submissions\.(?P<fmt>json|csv|xlsx)$",
        open_data.submissions,
        name="open_data_submissions",
    ),
    re_path(
        _EDITION + r"datasets\.(?P<fmt>json|csv|xlsx)$",
        open_data.datasets,
        name="open_data_datasets",
    ),
    path(
        "open-data/<slug:slug>/showcases/<int:pk>.json",
        open_data.showcase,
        name="open_data_showcase",
    ),
]
