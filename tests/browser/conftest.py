"""Browser tests: Playwright (PyPI) driving Debian's Chromium, never a downloaded browser.

They run whenever `chromium` is installed and axe-core is in `tests/browser/node_modules`
(`npm ci --prefix tests/browser`); otherwise they are skipped, with the reason printed at the
end of `make test`. CI sets HACKQC_REQUIRE_BROWSER=1: a missing browser then fails the run.
"""

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed"
    if not chromium_path():
        return "no chromium on PATH (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core is not installed (npm ci --prefix tests/browser)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("HACKQC_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests are required but cannot run: {reason}")
    skip = pytest.mark.skip(reason=f"browser tests skipped: {reason}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; the tests only build
    # data through the ORM between steps, never concurrently with a page. Set for these
    # modules only: the rest of the suite (the deployment check) must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with _chromium(sync_playwright) as browser:
            yield browser
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextlib.contextmanager
def _chromium(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            # This machine's network is closed: no background or component traffic.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _live_settings(settings):
    # The live server answers on 127.0.0.1 with production-like security headers.
    settings.ALLOWED_HOSTS = ["*"]


def new_page(browser, live_server, viewport=DESKTOP, locale="fr-CA"):
    context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


def _close(request, page):
    """On failure, keeps a screenshot and the text of every open page where CI can show them."""
    if getattr(request.node, "failed_call", False):
        default = Path(tempfile.gettempdir()) / "hackqc-browser-failures"
        folder = Path(os.environ.get("BROWSER_FAILURES", default))
        folder.mkdir(parents=True, exist_ok=True)
        pages = [p for context in page.context.browser.contexts for p in context.pages]
        for number, open_page in enumerate(pages):
            name = f"{request.node.name}-{number}"
            open_page.screenshot(path=folder / f"{name}.png", full_page=True)
            (folder / f"{name}.txt").write_text(
                open_page.url + "\n\n" + open_page.inner_text("body")
            )
    page.context.close()


@pytest.fixture
def desktop(request, browser, live_server):
    page = new_page(browser, live_server)
    yield page
    _close(request, page)


@pytest.fixture
def phone(request, browser, live_server):
    page = new_page(browser, live_server, viewport=PHONE, locale="en-CA")
    yield page
    _close(request, page)
