from django.conf import settings


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
