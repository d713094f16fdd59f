from django.db import migrations, models
from django.db.models import Q


def unpin_unsent(apps, schema_editor):
    """Pinning once took drafts too: a pinned draft (or one still being sent) comes off the
    edition page before the rule that only sent announcements are pinned holds."""
    Announcement = apps.get_model("hackqc", "Announcement")
    Announcement.objects.filter(pinned=True).exclude(status="sent").update(
        pinned=False, pinned_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hackqc", "0012_edition_status"),
    ]

    operations = [
        migrations.RunPython(unpin_unsent, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="announcement",
            constraint=models.CheckConstraint(
                condition=Q(pinned=False) | Q(status="sent"), name="announcement_pinned_is_sent"
            ),
        ),
    ]
