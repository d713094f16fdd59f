from django.core.management.base import BaseCommand, CommandError

from judging.generate import delete_synthetic_edition


class Command(BaseCommand):
    help = (
        "Delete a generated (synthetic) edition with its teams, projects, jury, made-up "
        "accounts, throwaway portal and datasets. Refuses a real edition."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug, **options):
        try:
            counts = delete_synthetic_edition(slug)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Deleted synthetic edition {slug}: {counts['users']} accounts, "
            f"{counts['portal']} portal rows and datasets."
        )
