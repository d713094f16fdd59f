from django.urls import path

from .live import views as live
from .pairwise import table_views as expo_tables
from .pairwise import views as pairwise
from .views import judge, organize

app_name = "judging"

ROUND = "organize/<slug:slug>/rounds/<int:number>/"

urlpatterns = [
    path("", judge.JuryHomeView.as_view(), name="home"),
    path("method/", judge.MethodView.as_view(), name="method"),
    path("invitations/<str:token>/", judge.InvitationView.as_view(), name="invitation"),
    # Organizers.
    path("organize/<slug:slug>/", organize.JuryDashboardView.as_view(), name="organize"),
    path(
        "organize/<slug:slug>/invitations/<int:pk>/revoke/",
        organize.revoke_invitation,
        name="invitation_revoke",
    ),
    path("organize/<slug:slug>/conflicts/", organize.ConflictsView.as_view(), name="conflicts"),
    path("organize/<slug:slug>/tasks/<int:pk>/", organize.JobView.as_view(), name="job"),
    path(
        "organize/<slug:slug>/conflicts/<int:pk>/lift/",
        organize.lift_conflict,
        name="conflict_lift",
    ),
    path(
        "organize/<slug:slug>/conflicts/waive/<int:judge_id>/<int:team_id>/",
        organize.waive_conflict,
        name="conflict_waive",
    ),
    path("organize/<slug:slug>/rounds/new/", organize.RoundFormView.as_view(), name="round_create"),
    path(ROUND, organize.RoundDetailView.as_view(), name="organize_round"),
    path(ROUND + "edit/", organize.RoundFormView.as_view(), name="round_update"),
    path(ROUND + "criteria/new/", organize.CriterionFormView.as_view(), name="criterion_create"),
    path(
        ROUND + "criteria/<int:pk>/", organize.CriterionFormView.as_view(), name="criterion_update"
    ),
    path(ROUND + "criteria/<int:pk>/delete/", organize.delete_criterion, name="criterion_delete"),
    path(ROUND + "criteria/copy/", organize.copy_rubric, name="rubric_copy"),
    path(ROUND + "assign/", organize.run_assignment, name="assign"),
    path(ROUND + "assignments/pin/", organize.pin_assignment, name="assignment_pin"),
    path(
        ROUND + "assignments/<int:judge_id>/<int:submission_id>/remove/",
        organize.remove_assignment,
        name="assignment_remove",
    ),
    path(ROUND + "judges/<int:judge_id>/withdraw/", organize.withdraw_judge, name="judge_withdraw"),
    path(ROUND + "remind/", organize.remind_judges, name="remind"),
    path(ROUND + "close/", organize.close_round, name="close"),
    path(ROUND + "reopen/", organize.reopen_round, name="reopen"),
    path(ROUND + "finalists/", organize.select_finalists, name="finalists"),
    path(ROUND + "rankings/", organize.RankingsView.as_view(), name="rankings"),
    path(ROUND + "export.<str:fmt>", organize.export_view, name="export"),
    path(ROUND + "reviews/<int:pk>/", organize.review_audit, name="review_audit"),
    path(ROUND + "tables/", expo_tables.tables_view, name="expo_tables"),
    path(ROUND + "tables/print/", expo_tables.tables_print_view, name="expo_tables_print"),
    path(ROUND + "live/", live.control_view, name="live_control"),
    path(ROUND + "live/advance/", live.advance_view, name="live_advance"),
    path(ROUND + "live/screen/", live.screen_view, name="live_screen"),
    path(ROUND + "live/state.json", live.state_view, name="live_state"),
    # Judges.
    path("<slug:slug>/profile/", judge.ProfileView.as_view(), name="profile"),
    path("<slug:slug>/conflicts/", judge.DeclareConflictView.as_view(), name="declare_conflict"),
    path("<slug:slug>/rounds/<int:number>/", judge.JudgeRoundView.as_view(), name="round"),
    path("<slug:slug>/rounds/<int:number>/expo/", pairwise.expo_view, name="expo"),
    path("<slug:slug>/rounds/<int:number>/live/", live.judge_view, name="live_judge"),
    path(
        "<slug:slug>/rounds/<int:number>/projects/<int:submission_id>/",
        judge.review_view,
        name="review",
    ),
    path(
        "<slug:slug>/rounds/<int:number>/projects/<int:submission_id>/recuse/",
        judge.recuse_view,
        name="recuse",
    ),
]
