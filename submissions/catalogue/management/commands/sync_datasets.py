from django.core.management.base import BaseCommand, CommandError

from submissions.catalogue import services
from submissions.catalogue.models import Portal, SyncRun


class Command(BaseCommand):
    help = (
        "Syncs the open-data catalogue from a CKAN portal (incremental after the first sync), "
        "or from a file of recorded CKAN replies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read every package and mark "
            "the datasets the portal no longer lists as withdrawn.",
        )
        parser.add_argument(
            "--portal", help=f"Name of a configured portal (default: {services.DEFAULT_PORTAL})."
        )
        parser.add_argument(
            "--url", help="Any CKAN Action API base URL, e.g. http://127.0.0.1:5000/api/3/action/"
        )
        parser.add_argument(
            "--file",
            help="A package_search or package_show reply, a list of "
            "them, or JSON lines, read instead of the network.",
        )

    def handle(self, *args, full, portal, url, file, **options):
        if url and file:
            raise CommandError("Give --url or --file, not both.")
        target = self._portal(portal, url)
        if file:
            run = services.sync_from_file(target, file, full=full)
        else:
            run = services.sync_portal(target, full=full, api_url=url)
        self._report(run)
        if run.status != SyncRun.Status.SUCCEEDED:
            raise CommandError(f"Sync failed: {run.errors[0]['error'] if run.errors else ''}")

    def _portal(self, name, url):
        if name:
            try:
                return Portal.objects.get(name=name)
            except Portal.DoesNotExist:
                names = ", ".join(Portal.objects.values_list("name", flat=True))
                raise CommandError(f"No portal named {name!r} (configured: {names}).") from None
        if url:
            return services.portal_for_url(url)
        return services.get_default_portal()

    def _report(self, run):
        for error in run.errors:
            if "package" in error:
                self.stderr.write(f"skipped {error['package']}: {error['reason']}")
            else:
                self.stderr.write(error["error"])
        self.stdout.write(
            f"{run.portal.name} ({'full' if run.full else 'incremental'}) from {run.source}: "
            f"{run.created} created, {run.updated} updated, {run.withdrawn} withdrawn, "
            f"{run.skipped} skipped, {run.fetched} read in {run.duration}."
        )
