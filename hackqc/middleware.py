from django.conf import settings
from django.http import Http404

from hackqc.forms import MAX_ID


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header (Django 5.2 has no built-in one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable (restart, failover, outage), answers 503 with a
    page of its own in the visitor's language and a Retry-After, instead of a bare 500.

    The page is rendered without the request (no context processor, no user, no session),
    since everything those read lives in the database.
    """

    RETRY_AFTER = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return database_unavailable(request, exception)


def database_unavailable(request, exception=None):
    import logging

    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils import translation

    logging.getLogger("hackqc.faults").error("database unavailable: %s", exception)
    language = translation.get_language() or settings.LANGUAGE_CODE
    other = next(code for code, _name in settings.LANGUAGES if code != language)
    labels = {"fr": "Version française", "en": "English version"}
    html = render_to_string(
        "503.html",
        {
            "LANGUAGE_CODE": language,
            "other_language": other,
            "other_label": labels.get(other, other),
            "other_url": f"/{other}/",
        },
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(DatabaseUnavailableMiddleware.RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class RequestLimitsMiddleware:
    """Refuses, before anything reads them, requests no page of the site can use.

    - A body over `REQUEST_BODY_MAX_SIZE` (the largest upload plus its form): Django's own
      limits leave out uploaded files, which would be spooled to disk before the form said
      no. The front proxy should refuse them first (README, Deployment).
    - A NUL character in the path or the query string: PostgreSQL cannot store or compare it
      in text, so it would reach a query as a server error.
    - A number in the path beyond any database id (`<int:pk>` takes any length of digits):
      no object has it, and the database drivers overflow on it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_SIZE:
            return _refusal(request, status=413)
        if "\0" in request.path or _has_nul(request.GET):
            return _refusal(request, status=400)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
                raise Http404


def _has_nul(query):
    return any(
        "\0" in key or any("\0" in value for value in values) for key, values in query.lists()
    )


def _refusal(request, *, status):
    from django.shortcuts import render

    context = {
        "too_large": status == 413,
        "megabytes": settings.REQUEST_BODY_MAX_SIZE // (1024 * 1024),
    }
    return render(request, "request_refused.html", context, status=status)


class ArchivedEditionMiddleware:
    """A write refused because its edition is archived (`hackqc.service`), on a page whose
    view does not show refusals itself: the visitor gets the reason, never a 500. A form is
    sent back to the page it came from (this site's) with the message; anything else answers
    409 with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.shortcuts import redirect, render
        from django.utils.http import url_has_allowed_host_and_scheme

        from hackqc.exceptions import EditionArchivedError

        if not isinstance(exception, EditionArchivedError):
            return None
        back = request.headers.get("Referer", "")
        if request.method == "POST" and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            messages.error(request, exception.message)
            return redirect(back)
        return render(request, "hackqc/refused.html", {"message": exception.message}, status=409)
