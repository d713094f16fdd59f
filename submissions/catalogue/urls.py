from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.DatasetSearchView.as_view(), name="search"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("reuses/", views.ReuseStatsView.as_view(), name="stats"),
    path("sync/", views.SyncView.as_view(), name="sync"),
    path("sync/<int:pk>/", views.SyncRunView.as_view(), name="sync_run"),
    path("<slug:portal>/<str:name>/", views.DatasetDetailView.as_view(), name="detail"),
]
