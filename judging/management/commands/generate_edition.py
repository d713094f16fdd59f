import time

from django.core.management.base import BaseCommand, CommandError

from hackqc.models import Edition
from judging.generate import generate_edition


class Command(BaseCommand):
    help = (
        "Create a complete synthetic edition (teams, submitted projects, datasets, judges with "
        "a few harsh and lenient ones, conflicts, an assigned and fully reviewed round), "
        "deterministic for a seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--submissions", type=int, default=100)
        parser.add_argument("--judges", type=int, default=20)
        parser.add_argument("--reviews-per-submission", type=int, default=3, dest="k")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--slug", help="Edition slug (default: generated-<seed>).")
        parser.add_argument(
            "--pairwise",
            type=int,
            default=0,
            metavar="C",
            help="Judge the round pairwise, with about C comparisons per project.",
        )

    def handle(self, *args, submissions, judges, k, seed, slug, pairwise, **options):
        slug = slug or f"generated-{seed}"
        if submissions < 1 or judges < 1 or k < 1:
            raise CommandError("--submissions, --judges and --reviews-per-submission must be >= 1")
        if pairwise < 0 or (pairwise and submissions < 2):
            raise CommandError("--pairwise needs C >= 1 and at least 2 submissions")
        if Edition.objects.filter(slug=slug).exists():
            raise CommandError(
                f"An edition {slug!r} already exists; pass another --slug or --seed."
            )
        start = time.perf_counter()
        result = generate_edition(
            submissions=submissions, judges=judges, k=k, seed=seed, slug=slug, pairwise=pairwise
        )
        self.stdout.write(
            f"Edition {result.edition.slug}: {submissions} submissions, {judges} judges, "
            + (f"pairwise, about {pairwise} comparisons per project, " if pairwise else "")
            + f"k={k}, max load {result.max_load} (lower bound {result.lower_bound}), "
            f"{time.perf_counter() - start:.2f} s"
        )
