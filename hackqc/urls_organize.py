from django.urls import path

from hackqc.views import agenda, announcements, audit, lifecycle, organize, pages

app_name = "organize"

urlpatterns = [
    path("", organize.OrganizedEditionsView.as_view(), name="editions"),
    path("new/", organize.EditionCreateView.as_view(), name="edition_create"),
    path("health/", organize.HealthView.as_view(), name="health"),
    path("staff/", organize.StaffHomeView.as_view(), name="staff"),
    path("log/", audit.SiteAuditLogView.as_view(), name="audit_log_all"),
    path("<slug:slug>/", organize.DashboardView.as_view(), name="dashboard"),
    path("<slug:slug>/log/", audit.AuditLogView.as_view(), name="audit_log"),
    path("<slug:slug>/edit/", organize.EditionUpdateView.as_view(), name="edition_update"),
    path("<slug:slug>/publish/", lifecycle.publish, name="edition_publish"),
    path("<slug:slug>/unpublish/", lifecycle.unpublish, name="edition_unpublish"),
    path("<slug:slug>/archive/", lifecycle.ArchiveView.as_view(), name="edition_archive"),
    path("<slug:slug>/unarchive/", lifecycle.unarchive, name="edition_unarchive"),
    path("<slug:slug>/feature/", lifecycle.feature, name="edition_feature"),
    path("<slug:slug>/delete/", lifecycle.DeleteView.as_view(), name="edition_delete"),
    path("<slug:slug>/clone/", organize.CloneEditionView.as_view(), name="edition_clone"),
    path(
        "<slug:slug>/challenges/new/",
        organize.ChallengeFormView.as_view(),
        name="challenge_create",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/",
        organize.ChallengeFormView.as_view(),
        name="challenge_update",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/delete/",
        organize.delete_challenge,
        name="challenge_delete",
    ),
    path("<slug:slug>/sites/new/", organize.HostSiteFormView.as_view(), name="site_create"),
    path("<slug:slug>/sites/<int:pk>/", organize.HostSiteFormView.as_view(), name="site_update"),
    path("<slug:slug>/sites/<int:pk>/delete/", organize.delete_host_site, name="site_delete"),
    path("<slug:slug>/agenda/", agenda.AgendaView.as_view(), name="agenda"),
    path("<slug:slug>/agenda/new/", agenda.AgendaItemFormView.as_view(), name="agenda_create"),
    path("<slug:slug>/agenda/<int:pk>/", agenda.AgendaItemFormView.as_view(), name="agenda_update"),
    path("<slug:slug>/agenda/<int:pk>/delete/", agenda.delete_agenda_item, name="agenda_delete"),
    path(
        "<slug:slug>/announcements/",
        announcements.AnnouncementListView.as_view(),
        name="announcements",
    ),
    path(
        "<slug:slug>/announcements/new/",
        announcements.AnnouncementFormView.as_view(),
        name="announcement_create",
    ),
    path(
        "<slug:slug>/announcements/<int:pk>/",
        announcements.AnnouncementFormView.as_view(),
        name="announcement_update",
    ),
    path(
        "<slug:slug>/announcements/<int:pk>/preview/",
        announcements.AnnouncementPreviewView.as_view(),
        name="announcement_preview",
    ),
    path(
        "<slug:slug>/announcements/<int:pk>/test/",
        announcements.send_test_announcement,
        name="announcement_test",
    ),
    path(
        "<slug:slug>/announcements/<int:pk>/send/",
        announcements.send_announcement,
        name="announcement_send",
    ),
    path(
        "<slug:slug>/announcements/<int:pk>/pin/",
        announcements.pin_announcement,
        name="announcement_pin",
    ),
    path("<slug:slug>/pages/<str:kind>/", pages.EditionPageEditView.as_view(), name="edition_page"),
    path("<slug:slug>/organizers/add/", organize.add_organizer, name="organizer_add"),
    path("<slug:slug>/mails/failed/", organize.FailedMailsView.as_view(), name="failed_mails"),
    path("<slug:slug>/mails/<int:pk>/resend/", organize.resend_mail, name="mail_resend"),
    path(
        "<slug:slug>/organizers/<int:pk>/remove/",
        organize.remove_organizer,
        name="organizer_remove",
    ),
]
