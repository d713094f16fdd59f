from django.urls import path

from .views import board, invitations, organize, registration, sites, team_actions

app_name = "teams"

urlpatterns = [
    path("", board.current_board, name="current_board"),
    path("invitation/<str:token>/", invitations.InvitationView.as_view(), name="invitation"),
    path("team/<int:pk>/", board.TeamDetailView.as_view(), name="team_detail"),
    path("team/<int:pk>/edit/", team_actions.TeamUpdateView.as_view(), name="team_update"),
    path("team/<int:pk>/invite/", team_actions.InviteView.as_view(), name="invite"),
    path(
        "team/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        team_actions.revoke_invitation,
        name="invitation_revoke",
    ),
    path("team/<int:pk>/code/", team_actions.regenerate_code, name="regenerate_code"),
    path(
        "team/<int:pk>/members/<int:membership_pk>/remove/",
        team_actions.remove_member,
        name="member_remove",
    ),
    path(
        "team/<int:pk>/members/<int:membership_pk>/captain/",
        team_actions.make_captain,
        name="make_captain",
    ),
    path("team/<int:pk>/leave/", team_actions.leave, name="leave"),
    path("team/<int:pk>/dissolve/", team_actions.dissolve, name="dissolve"),
    path("team/<int:pk>/request/", team_actions.request_to_join, name="request_join"),
    path(
        "team/<int:pk>/requests/<int:request_pk>/accept/",
        team_actions.accept_request,
        name="request_accept",
    ),
    path(
        "team/<int:pk>/requests/<int:request_pk>/decline/",
        team_actions.decline_request,
        name="request_decline",
    ),
    path(
        "requests/<int:request_pk>/withdraw/",
        team_actions.withdraw_request,
        name="request_withdraw",
    ),
    path("team/<int:pk>/organize/dissolve/", organize.dissolve_team, name="organize_dissolve"),
    path("<slug:slug>/", board.BoardView.as_view(), name="board"),
    path("<slug:slug>/register/", registration.RegistrationView.as_view(), name="register"),
    path("<slug:slug>/register/withdraw/", registration.withdraw, name="withdraw"),
    path("<slug:slug>/new/", board.TeamCreateView.as_view(), name="team_create"),
    path("<slug:slug>/join/", board.JoinWithCodeView.as_view(), name="join_code"),
    path(
        "<slug:slug>/organize/registrations/",
        organize.RegistrationListView.as_view(),
        name="organize_registrations",
    ),
    path(
        "<slug:slug>/organize/registrations/<int:pk>/correct/",
        organize.CorrectRegistrationView.as_view(),
        name="organize_correct",
    ),
    path(
        "<slug:slug>/organize/registrations.csv",
        organize.RegistrationExportView.as_view(),
        {"fmt": "csv"},
        name="organize_registrations_csv",
    ),
    path(
        "<slug:slug>/organize/registrations.xlsx",
        organize.RegistrationExportView.as_view(),
        {"fmt": "xlsx"},
        name="organize_registrations_xlsx",
    ),
    path(
        "<slug:slug>/organize/registrations/add/",
        organize.LateRegistrationView.as_view(),
        name="organize_register_late",
    ),
    path("<slug:slug>/organize/teams/", organize.TeamListView.as_view(), name="organize_teams"),
    path(
        "<slug:slug>/organize/teams.csv",
        organize.TeamExportView.as_view(),
        {"fmt": "csv"},
        name="organize_teams_csv",
    ),
    path(
        "<slug:slug>/organize/teams.xlsx",
        organize.TeamExportView.as_view(),
        {"fmt": "xlsx"},
        name="organize_teams_xlsx",
    ),
    path("<slug:slug>/organize/move/", organize.move_participant, name="organize_move"),
    path("<slug:slug>/organize/sites/", sites.SitesView.as_view(), name="organize_sites"),
    path("<slug:slug>/organize/roster/", sites.RosterView.as_view(), name="organize_roster"),
    path(
        "<slug:slug>/organize/roster.csv",
        sites.RosterExportView.as_view(),
        {"fmt": "csv"},
        name="organize_roster_csv",
    ),
    path(
        "<slug:slug>/organize/roster.xlsx",
        sites.RosterExportView.as_view(),
        {"fmt": "xlsx"},
        name="organize_roster_xlsx",
    ),
    path(
        "<slug:slug>/organize/name-tags.pdf",
        sites.NameTagsView.as_view(),
        name="organize_name_tags",
    ),
    path("<slug:slug>/checkin/", sites.CheckInView.as_view(), name="checkin"),
]
