from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hackqc.exceptions import HackQCError
from submissions.catalogue import services
from submissions.catalogue.models import Portal, SyncRun


class Command(BaseCommand):
    help = (
        "Syncs the open-data catalogue from a CKAN portal (incremental after the first sync), "
        "or from a file of recorded CKAN replies. One sync per portal at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read every package and mark the datasets the portal no longer lists "
            "(checked one by one with package_show) as withdrawn.",
        )
        parser.add_argument(
            "--portal",
            help=f"Name of a configured portal (default: {services.DEFAULT_PORTAL}, or with "
            "--file the portal the file's replies come from).",
        )
        parser.add_argument(
            "--url", help="Any CKAN Action API base URL, e.g. http://127.0.0.1:5000/api/3/action/"
        )
        parser.add_argument(
            "--file",
            help="A package_search or package_show reply, a list of them, or JSON lines, read "
            "instead of the network. Needs --portal unless its replies name their portal.",
        )

    def handle(self, *args, full, portal, url, file, **options):
        if url and file:
            raise CommandError(_("Give --url or --file, not both."))
        target = self._named_portal(portal)
        try:
            if file:
                run = services.sync_from_file(target, file, full=full)
            else:
                if target is None:
                    target = services.portal_for_url(url) if url else services.get_default_portal()
                run = services.sync_portal(target, full=full, api_url=url)
        except HackQCError as exc:
            raise CommandError(str(exc)) from None
        if run.status != SyncRun.Status.SUCCEEDED:
            # The run's one error, once: the run itself logs nothing.
            error = run.errors[0]["error"] if run.errors else ""
            raise CommandError(_("Sync failed: %(error)s") % {"error": error})
        self._report(run)

    def _named_portal(self, name):
        if not name:
            return None
        try:
            return Portal.objects.get(name=name)
        except Portal.DoesNotExist:
            names = ", ".join(Portal.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(
                _("No portal named %(name)s (configured: %(names)s).")
                % {"name": repr(name), "names": names}
            ) from None

    def _report(self, run):
        for error in run.errors:
            if "package" in error:
                self.stderr.write(
                    _("Skipped %(package)s: %(reason)s")
                    % {"package": error["package"], "reason": error["reason"]}
                )
            else:
                self.stderr.write(error["error"])
        kind = (
            pgettext("catalogue sync", "full")
            if run.full
            else pgettext("catalogue sync", "incremental")
        )
        self.stdout.write(
            _(
                "%(portal)s (%(kind)s) from %(source)s: %(created)s created, %(updated)s "
                "updated, %(withdrawn)s withdrawn, %(skipped)s skipped, %(fetched)s read in "
                "%(duration)s."
            )
            % {
                "portal": run.portal.name,
                "kind": kind,
                "source": run.source,
                "created": run.created,
                "updated": run.updated,
                "withdrawn": run.withdrawn,
                "skipped": run.skipped,
                "fetched": run.fetched,
                "duration": run.duration,
            }
        )
