"""Under /organize/, before the edition pages (`organize/<slug>/` would take "incidents")."""

from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.IncidentListView.as_view(), name="site_list"),
    path("incidents/new/", views.IncidentFormView.as_view(), name="site_create"),
    path("incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="site_detail"),
    path("incidents/<int:pk>/edit/", views.IncidentFormView.as_view(), name="site_update"),
    path("<slug:slug>/incidents/", views.IncidentListView.as_view(), name="list"),
    path("<slug:slug>/incidents/new/", views.IncidentFormView.as_view(), name="create"),
    path("<slug:slug>/incidents/<int:pk>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<slug:slug>/incidents/<int:pk>/edit/", views.IncidentFormView.as_view(), name="update"),
]
