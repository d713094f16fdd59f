from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_page, name="page"),
    path("export/", views.export_request, name="export"),
    path("export/<str:token>/", views.export_view, name="export_view"),
    path("export/<str:token>/json/", views.export_json, name="export_json"),
    path("close/", views.close_account, name="close"),
]
