from django.core.management.base import BaseCommand

from hackqc.privacy.retention import anonymise_old_editions


class Command(BaseCommand):
    help = (
        "Anonymises the personal data of editions judged more than PRIVACY_RETENTION_YEARS "
        "ago (projects, team names, scores and results stay), and erases the accounts that "
        "had no other role and were not used since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be done; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        lines = anonymise_old_editions(dry_run=dry_run)
        prefix = "[dry run] " if dry_run else ""
        for line in lines or ["nothing to anonymise"]:
            self.stdout.write(prefix + line)
