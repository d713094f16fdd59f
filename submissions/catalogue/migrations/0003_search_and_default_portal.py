from django.conf import settings
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


def create_default_portal(apps, schema_editor):
    Portal = apps.get_model("catalogue", "Portal")
    Portal.objects.get_or_create(
        name="donnees-quebec",
        defaults={
            "title": "Données Québec",
            "api_url": settings.CKAN_DEFAULT_PORTAL_URL,
            "dataset_url_pattern": "https://www.donneesquebec.ca/recherche/dataset/{name}",
        },
    )


def create_search_index(apps, schema_editor):
    # A GIN index exists only on PostgreSQL; SQLite searches the plain search_text column.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS catalogue_dataset_search_gin "
            "ON catalogue_dataset USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalogue_dataset_search_gin")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_catalogue_details")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_default_portal, migrations.RunPython.noop),
    ]
