from django.urls import path

from . import views

app_name = "vote"

urlpatterns = [
    path("<slug:slug>/", views.ballot_view, name="ballot"),
    path("<slug:slug>/organize/", views.organize_view, name="organize"),
    path("<slug:slug>/organize/votes/<int:pk>/void/", views.void_view, name="void"),
]
