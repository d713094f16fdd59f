from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hackqc import audit
from hackqc.personal_exports import ROUND
from judging.export import export_round
from judging.models import Round


class Command(BaseCommand):
    help = (
        "Export a round's criteria, the raw scores of its submitted reviews and its rankings "
        "by each method, as JSON or CSV, so anyone can recompute the result."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition", help="The edition's slug.")
        parser.add_argument("round", type=int, help="The round's number.")
        parser.add_argument("--format", choices=["json", "csv"], default="json", dest="fmt")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, edition, round, fmt, output, **options):
        found = (
            Round.objects.select_related("edition")
            .filter(edition__slug=edition, number=round)
            .first()
        )
        if found is None:
            raise CommandError(f"No round {round} in edition {edition!r}.")
        # Judges' scores leave the site: logged like an organizer's download (the site as
        # actor: a command has no signed-in person).
        with transaction.atomic():
            text = export_round(found, fmt)
            name = f"{found.edition.slug}-round-{found.number}.{fmt}"
            audit.record(ROUND, actor=None, edition=found.edition, target=name, via="command")
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
