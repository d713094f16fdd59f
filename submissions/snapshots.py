"""The `data` of a SubmissionVersion: what the sheet said when it was submitted.

The shape is documented in docs/submissions.md; the jury renders it. Bump SCHEMA when a
key changes meaning, so readers can tell old snapshots apart.
"""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

# 2: the team's member names are no longer stored (names are resolved when a version is
# shown, with the consents of that moment: `queries.member_names_for`).
SCHEMA = 2

# Keys compared between versions, in the sheet's order, with their labels.
COMPARED_KEYS = [
    ("title", _("title")),
    ("pitch", _("one-line pitch")),
    ("description", _("description")),
    ("challenge", _("challenge")),
    ("welcomes_members", _("welcomes new members")),
    ("datasets", _("datasets reused")),
    ("technologies", _("technologies")),
    ("libraries", _("external libraries")),
    ("achievements", _("what was achieved")),
    ("difficulties", _("difficulties and successes")),
    ("lessons", _("lessons learned")),
    ("next_steps", _("next steps")),
    ("repository_url", _("source repository")),
    ("licence", _("licence")),
    ("demo_url", _("live demo")),
    ("video_url", _("video")),
    ("logo", _("logo")),
    ("screenshots", _("screenshots")),
]


# What `build_snapshot` reads besides the sheet: `snapshot_queryset` prefetches it so that
# building many snapshots costs a fixed number of queries.
SNAPSHOT_RELATED = ("challenge", "team")
SNAPSHOT_PREFETCH = (
    "dataset_links__dataset__organization",
    "dataset_links__dataset__portal",
    "technologies",
    "libraries",
    "screenshots",
)


def snapshot_queryset(queryset):
    """`queryset` of submissions with everything `build_snapshot` reads, in bulk."""
    return queryset.select_related(*SNAPSHOT_RELATED).prefetch_related(*SNAPSHOT_PREFETCH)


def build_snapshot(submission) -> dict:
    """Reads the sheet and its rows into plain JSON values: the only writer of this format.

    A handful of queries, or none when `submission` comes from `snapshot_queryset`.
    """
    prefetch_related_objects([submission], *SNAPSHOT_PREFETCH)
    challenge = submission.challenge
    links = sorted(submission.dataset_links.all(), key=lambda link: (link.position, link.pk))
    return {
        "schema": SCHEMA,
        "title": submission.title,
        "pitch": submission.pitch,
        "description": submission.description,
        "challenge": challenge
        and {"id": challenge.pk, "number": challenge.number, "title": challenge.title},
        "welcomes_members": submission.welcomes_members,
        "team": {"id": submission.team_id, "name": submission.team.name},
        "datasets": [_dataset_entry(link) for link in links],
        "technologies": sorted(t.name for t in submission.technologies.all()),
        "libraries": [
            {"name": lib.name, "version": lib.version} for lib in submission.libraries.all()
        ],
        "achievements": submission.achievements,
        "difficulties": submission.difficulties,
        "lessons": submission.lessons,
        "next_steps": submission.next_steps,
        "repository_url": submission.repository_url,
        "licence": submission.licence,
        "demo_url": submission.demo_url,
        "video_url": submission.video_url,
        "logo": submission.logo.name or "",
        "screenshots": [
            {"image": shot.image.name, "alt_text": shot.alt_text}
            for shot in submission.screenshots.all()
        ],
    }


def _dataset_entry(link) -> dict:
    dataset = link.dataset
    organization = dataset.organization
    return {
        "id": dataset.pk,
        "ckan_id": str(dataset.ckan_id),
        "portal": dataset.portal.name,
        "name": dataset.name,
        "title": dataset.title,
        "organization": organization.title if organization else "",
        "usage": link.usage,
        "resources": list(link.resources or []),
    }


def changed_keys(previous: dict | None, current: dict) -> list[str]:
    """Labels of the sheet parts that differ between two snapshots, in the sheet's order."""
    if previous is None:
        return []
    return [str(label) for key, label in COMPARED_KEYS if previous.get(key) != current.get(key)]
