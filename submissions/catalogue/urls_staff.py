"""Staff pages for the portals, included under /organize/ (before its edition slugs)."""

from django.urls import path

from . import staff_views

app_name = "portals"

urlpatterns = [
    path("portals/", staff_views.PortalListView.as_view(), name="list"),
    path("portals/new/", staff_views.PortalFormView.as_view(), name="create"),
    path("portals/<int:pk>/", staff_views.PortalFormView.as_view(), name="update"),
    path("portals/<int:pk>/enabled/", staff_views.set_enabled, name="set_enabled"),
    path("portals/<int:pk>/sync/", staff_views.sync_now, name="sync"),
    path("portals/<int:pk>/runs/", staff_views.RunListView.as_view(), name="runs"),
]
