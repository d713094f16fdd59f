from django.urls import path

from .views import certificates, organize, public

app_name = "results"

urlpatterns = [
    path("", public.ResultsIndexView.as_view(), name="index"),
    path("certificates/<str:token>/", certificates.verify, name="certificate_verify"),
    path(
        "certificates/<int:pk>/certificate.pdf",
        certificates.download,
        name="certificate_download",
    ),
    path(
        "certificates/<int:pk>/name/",
        certificates.name_visibility,
        name="certificate_name",
    ),
    path("<slug:slug>/", public.ResultsView.as_view(), name="detail"),
    path("<slug:slug>/feedback/", public.FeedbackView.as_view(), name="feedback"),
    path("<slug:slug>/manage/", organize.ManageView.as_view(), name="manage"),
    path("<slug:slug>/manage/prizes/new/", organize.PrizeFormView.as_view(), name="prize_create"),
    path(
        "<slug:slug>/manage/prizes/<int:pk>/",
        organize.PrizeFormView.as_view(),
        name="prize_update",
    ),
    path("<slug:slug>/manage/prizes/<int:pk>/delete/", organize.delete_prize, name="prize_delete"),
    path("<slug:slug>/manage/conditions/", organize.AwardPolicyView.as_view(), name="policy"),
    path("<slug:slug>/manage/compute/", organize.compute, name="compute"),
    path(
        "<slug:slug>/manage/snapshots/<int:pk>/",
        organize.SnapshotView.as_view(),
        name="snapshot",
    ),
    path("<slug:slug>/manage/snapshots/<int:pk>/approve/", organize.approve, name="approve"),
    path("<slug:slug>/manage/snapshots/<int:pk>/publish/", organize.publish, name="publish"),
    path("<slug:slug>/manage/snapshots/<int:pk>/withdraw/", organize.withdraw, name="withdraw"),
    path(
        "<slug:slug>/manage/awards/<int:pk>/override/",
        organize.OverrideView.as_view(),
        name="override",
    ),
    path(
        "<slug:slug>/manage/awards/<int:pk>/swap/",
        organize.SwapView.as_view(),
        name="swap",
    ),
]
