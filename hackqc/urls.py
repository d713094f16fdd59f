from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from hackqc.views import account, agenda, pages, policy, public, space
from submissions.views.media import serve_media

# Language-independent URLs: machine-readable data and the language switch.
urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("hackqc.urls_open_data")),
]

urlpatterns += i18n_patterns(
    path("", public.HomeView.as_view(), name="home"),
    path("editions/<slug:slug>/", public.EditionDetailView.as_view(), name="edition_detail"),
    path("editions/<slug:slug>/calendar.ics", public.edition_calendar, name="edition_calendar"),
    path("editions/<slug:slug>/agenda.ics", agenda.agenda_ics, name="edition_agenda_calendar"),
    path("space/", space.SpaceView.as_view(), name="space"),
    path("space/privacy/", include("hackqc.privacy.urls")),
    path("privacy-policy/", policy.PrivacyPolicyView.as_view(), name="privacy_policy"),
    path(
        "editions/<slug:slug>/pages/<str:kind>/",
        pages.EditionPageView.as_view(),
        name="edition_page",
    ),
    # Before the edition pages: `organize/<slug>/` would take "incidents".
    path("organize/", include("hackqc.incidents.urls")),
    path("organize/", include("submissions.catalogue.urls_staff")),
    path("organize/", include("hackqc.urls_organize")),
    path("accounts/profile/", account.ProfileView.as_view(), name="profile"),
    path("accounts/", include("allauth.urls")),
    path("teams/", include("teams.urls")),
    path("datasets/", include("submissions.catalogue.urls")),
    path("projects/", include("submissions.urls")),
    path("jury/", include("judging.urls")),
    path("results/", include("judging.results.urls")),
    path("vote/", include("judging.public_vote.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# Uploaded files, in every mode: each request is checked (submissions.media), then the file
# is sent by the proxy (MEDIA_ACCEL_REDIRECT) or, embedded, by Django.
urlpatterns.append(
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", serve_media, name="media"),
)
