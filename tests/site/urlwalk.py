"""Every URL pattern of the resolver, and the demo objects that fill its path arguments.

The hostile-input and permission walkers read the patterns from the resolver itself, so a
pattern added tomorrow is walked (or makes them fail until it is described) without anyone
remembering to list it.
"""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver
from django.utils import translation

_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself when unnamed (admin, media)
    pattern: str  # prefixes and pattern, route or regex syntax mixed
    arguments: tuple[str, ...]
    module: str

    @property
    def app(self) -> str:
        return self.module.split(".")[0]

    def path(self, values: dict) -> str:
        """The path with `values` (already URL-encoded) in place of the arguments."""
        path = _GROUP.sub(lambda m: str(values[m.group(1)]), self.pattern)
        path = _CONVERTER.sub(lambda m: str(values[m.group(2)]), path)
        return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def all_routes() -> list[Route]:
    with translation.override("fr"):
        return list(_walk(get_resolver().url_patterns, "", None))


def _walk(patterns, prefix, namespace):
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, pattern, inner)
            continue
        name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
        arguments = tuple(_GROUP.findall(pattern)) + tuple(
            m.group(2) for m in _CONVERTER.finditer(pattern)
        )
        module = getattr(entry.callback, "__module__", "") or ""
        if hasattr(entry.callback, "view_class"):
            module = entry.callback.view_class.__module__
        yield Route(name or pattern, pattern, arguments, module)


def demo_values(route: Route, objects: dict) -> dict:
    """Path arguments that reach an existing object of the demo's past edition."""
    specific = ROUTE_VALUES.get(route.name, {})
    values = {}
    for argument in route.arguments:
        key = specific.get(argument) or ARGUMENT_VALUES.get(argument, "one")
        values[argument] = objects.get(key, key)
    return values


# Which demo object each argument names: first by route, then by argument name.
ARGUMENT_VALUES = {
    "slug": "past_slug",
    "team_id": "team_id",
    "number": "round_number",
    "judge_id": "judge_id",
    "submission_id": "submission_id",
    "membership_pk": "membership_pk",
    "invitation_pk": "team_invitation_pk",
    "request_pk": "join_request_pk",
    "link_id": "link_id",
    "screenshot_id": "screenshot_id",
    "token": "team_invitation_token",
    "portal": "portal_slug",
    "name": "dataset_name",
    "fmt": "json",
    "content_type_id": "one",
    "object_id": "one",
    "path": "logo.png",
    "kind": "rules",
}
ROUTE_VALUES = {
    "open_data_showcase": {"pk": "submission_id"},
    "organize:challenge_update": {"pk": "challenge_pk"},
    "organize:challenge_delete": {"pk": "challenge_pk"},
    "teams:organize_correct": {"pk": "registration_pk"},
    "organize:site_update": {"pk": "site_pk"},
    "organize:site_delete": {"pk": "site_pk"},
    "organize:organizer_remove": {"pk": "organizer_role_pk"},
    "organize:agenda_update": {"pk": "agenda_item_pk"},
    "organize:agenda_delete": {"pk": "agenda_item_pk"},
    "organize:announcement_update": {"pk": "announcement_pk"},
    "organize:announcement_preview": {"pk": "announcement_pk"},
    "organize:announcement_test": {"pk": "announcement_pk"},
    "organize:announcement_send": {"pk": "announcement_pk"},
    "organize:announcement_pin": {"pk": "announcement_pk"},
    "catalogue:sync_run": {"pk": "sync_run_pk"},
    **{
        f"portals:{name}": {"pk": "portal_pk"} for name in ("update", "set_enabled", "sync", "runs")
    },
    "judging:invitation": {"token": "judge_invitation_token"},
    "judging:invitation_revoke": {"pk": "judge_invitation_pk"},
    "judging:conflict_lift": {"pk": "conflict_pk"},
    "judging:criterion_update": {"pk": "criterion_pk"},
    "judging:criterion_delete": {"pk": "criterion_pk"},
    "judging:review_audit": {"pk": "review_pk"},
    "judging:export": {"fmt": "csv"},
    "results:prize_update": {"pk": "prize_pk"},
    "results:prize_delete": {"pk": "prize_pk"},
    "results:snapshot": {"pk": "snapshot_pk"},
    "judging:job": {"pk": "job_pk"},
    "results:approve": {"pk": "snapshot_pk"},
    "results:publish": {"pk": "snapshot_pk"},
    "results:withdraw": {"pk": "snapshot_pk"},
    "results:override": {"pk": "award_pk"},
    "results:swap": {"pk": "award_pk"},
    "submissions:version": {"number": "version_number"},
    "results:certificate_verify": {"token": "certificate_token"},
    "results:certificate_download": {"pk": "certificate_pk"},
    "results:certificate_name": {"pk": "certificate_pk"},
    "privacy:export_view": {"token": "privacy_export_token"},
    "privacy:export_json": {"token": "privacy_export_token"},
}
ROUTE_VALUES.update(
    {
        name: {"pk": "team_id"}
        for name in (
            "teams:team_detail",
            "teams:team_update",
            "teams:invite",
            "teams:invitation_revoke",
            "teams:regenerate_code",
            "teams:member_remove",
            "teams:make_captain",
            "teams:leave",
            "teams:dissolve",
            "teams:request_join",
            "teams:request_accept",
            "teams:request_decline",
            "teams:organize_dissolve",
        )
    }
)


def _certificate(submission):
    from judging.results.models import Certificate

    return Certificate.objects.filter(user__memberships__team=submission.team_id).first()


def _job_pk(edition) -> int:
    """An organizer job of the past edition (its results computed again), so that the job
    page's refusals are tested on a job that exists."""
    from judging.models import OrganizerJob

    job = OrganizerJob.objects.filter(edition=edition).first() or OrganizerJob.objects.create(
        edition=edition,
        kind=OrganizerJob.Kind.COMPUTE_RESULTS,
        scope=f"results:{edition.pk}",
        state=OrganizerJob.State.DONE,
        message="Computed",
    )
    return job.pk


def demo_objects() -> dict:
    """The demo's past edition (judged, results published) and one object of each kind."""
    from hackqc.demo import editions
    from judging.models import Conflict, Criterion, Judge, JudgeInvitation, Review, Round
    from judging.results.models import Award, Prize, ResultSnapshot
    from submissions.catalogue.models import Dataset, SyncRun
    from submissions.models import Submission
    from teams.models import Invitation, JoinRequest, Membership

    past = editions()["past"]
    submission = (
        Submission.objects.filter(edition=past, state="submitted", versions__isnull=False)
        .order_by("pk")
        .first()
    )
    final = Round.objects.filter(edition=past).order_by("-number").first()
    review = Review.objects.filter(round=final, submission=submission).first()
    review = review or Review.objects.filter(round=final).first()
    dataset = Dataset.objects.select_related("portal").order_by("pk").first()
    link = submission.dataset_links.first()
    screenshot = submission.screenshots.first()
    membership = Membership.objects.filter(team=submission.team).order_by("pk").first()
    invitation = Invitation.objects.order_by("pk").first()
    join_request = JoinRequest.objects.order_by("pk").first()
    judge_invitation = JudgeInvitation.objects.order_by("pk").first()
    pick = {
        "past_slug": past.slug,
        "team_id": submission.team_id,
        "submission_id": submission.pk,
        "round_number": final.number,
        "version_number": submission.versions.order_by("number").first().number,
        "judge_id": (review.judge_id if review else Judge.objects.first().pk),
        "membership_pk": membership.pk,
        "team_invitation_pk": invitation.pk if invitation else 1,
        "team_invitation_token": invitation.token if invitation else "unknown",
        "join_request_pk": join_request.pk if join_request else 1,
        "link_id": link.pk if link else 1,
        "screenshot_id": screenshot.pk if screenshot else 1,
        "portal_slug": dataset.portal.name,
        "portal_pk": dataset.portal_id,
        "dataset_name": dataset.name,
        "challenge_pk": past.challenges.first().pk,
        "site_pk": past.host_sites.first().pk,
        "registration_pk": membership.team.edition.registrations.get(user=membership.user_id).pk,
        "organizer_role_pk": past.organizer_roles.first().pk,
        "agenda_item_pk": getattr(past.agenda_items.first(), "pk", 1),
        "announcement_pk": getattr(past.announcements.first(), "pk", 1),
        "sync_run_pk": getattr(SyncRun.objects.first(), "pk", 1),
        "judge_invitation_pk": getattr(judge_invitation, "pk", 1),
        "judge_invitation_token": getattr(judge_invitation, "token", "unknown"),
        "conflict_pk": getattr(Conflict.objects.filter(judge__edition=past).first(), "pk", 1),
        "criterion_pk": Criterion.objects.filter(round=final).first().pk,
        "review_pk": review.pk if review else 1,
        "prize_pk": getattr(Prize.objects.filter(edition=past).first(), "pk", 1),
        "snapshot_pk": getattr(ResultSnapshot.objects.filter(edition=past).first(), "pk", 1),
        "award_pk": getattr(Award.objects.filter(snapshot__edition=past).first(), "pk", 1),
        # A certificate of a member of the walked project's team (the outsiders' is not theirs).
        "certificate_pk": getattr(_certificate(submission), "pk", 1),
        "certificate_token": getattr(_certificate(submission), "token", "unknown"),
        "job_pk": _job_pk(past),
        "one": 1,
        "json": "json",
        "csv": "csv",
        "logo.png": "logo.png",
        "rules": "rules",
    }
    pick["privacy_export_token"] = _export_token(membership.user)
    pick["submission"] = submission
    pick["edition"] = past
    return pick


def _export_token(owner) -> str:
    """The link to a ready copy of a demo participant's data (made once, kept)."""
    import datetime as dt

    from django.utils import timezone

    from hackqc.privacy.exporting import build_export, export_token
    from hackqc.privacy.models import DataExport

    now = timezone.now()
    export = DataExport.objects.filter(user=owner, state="ready", expires_at__gt=now).first()
    if export is None:
        export = DataExport.objects.create(
            user=owner,
            state="ready",
            built_at=now,
            expires_at=now + dt.timedelta(days=365),
            data=build_export(owner),
        )
    return export_token(export)
