from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_portal_is_synthetic"),
    ]

    operations = [
        migrations.AddField(
            model_name="portal",
            name="is_enabled",
            field=models.BooleanField(
                default=True,
                help_text="A disabled portal is not synced, nightly or on request; its datasets stay.",
                verbose_name="enabled",
            ),
        ),
    ]
