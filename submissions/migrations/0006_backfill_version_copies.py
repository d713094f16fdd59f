from django.db import migrations
from django.db.models.functions import Lower


def backfill(apps, schema_editor):
    """Fills the relational copies of every stored version from its `data`."""
    Version = apps.get_model("submissions", "SubmissionVersion")
    Dataset = apps.get_model("catalogue", "Dataset")
    Technology = apps.get_model("submissions", "Technology")
    known = set(Dataset.objects.values_list("pk", flat=True))
    technologies = {name: pk for pk, name in Technology.objects.values_list("pk", Lower("name"))}
    for version in Version.objects.all().iterator():
        data = version.data or {}
        ids = [entry.get("id") for entry in data.get("datasets", [])]
        version.datasets.set([pk for pk in ids if pk in known])
        names = [name.lower() for name in data.get("technologies", [])]
        version.technologies.set([technologies[n] for n in names if n in technologies])


class Migration(migrations.Migration):
    dependencies = [("submissions", "0005_version_datasets_technologies")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
