from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext as _

ACTIVE = ["pending", "running"]


def fail_extra_active_runs(apps, schema_editor):
    """Before the rule: all but the newest queued or running run of each portal are failed
    (they were left by command-line syncs that ignored it, or by dead workers)."""
    SyncRun = apps.get_model("catalogue", "SyncRun")
    newest = {}
    for run in SyncRun.objects.filter(status__in=ACTIVE).order_by("-created_at", "-pk"):
        newest.setdefault(run.portal_id, run.pk)
    SyncRun.objects.filter(status__in=ACTIVE).exclude(pk__in=newest.values()).update(
        status="failed",
        finished_at=timezone.now(),
        errors=[{"error": _("Abandoned: another sync of the portal was running.")}],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_search_and_default_portal"),
    ]

    operations = [
        migrations.RunPython(fail_extra_active_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="syncrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "running"])),
                fields=("portal",),
                name="syncrun_one_active_per_portal",
            ),
        ),
    ]
