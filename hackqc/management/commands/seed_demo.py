import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from hackqc import demo

# Each app adds its demo data in `<app>/demo.py` with `seed(context) -> dict`, in this order.
APP_DEMOS = [
    "submissions.catalogue.demo",
    "teams.demo",
    "submissions.demo",
    "judging.demo",
    "judging.results.demo",
]


class Command(BaseCommand):
    help = (
        "Creates the demo editions, accounts and data, dated from the day it first runs "
        "(idempotent: a second run, that day or later, changes nothing)."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        context = demo.seed()
        for module_name in APP_DEMOS:
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            context.update(module.seed(context) or {})
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Demo accounts (password: {demo.DEMO_PASSWORD}): organizer@example.org, "
            f"judge1@example.org … judge{demo.JUDGES}@example.org, "
            f"participant1@example.org … participant{demo.PARTICIPANTS}@example.org"
        )
