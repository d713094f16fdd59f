"""What every page a browser test reaches must satisfy: axe-core finds no serious or critical
WCAG 2.1 A/AA violation, nothing scrolls sideways, no script error."""

from .conftest import AXE

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, so the site's strict CSP stays on.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing scrolls sideways)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )


# The innermost elements that stick out on the right: what to fix when a page scrolls sideways.
WIDE_ELEMENTS = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll("body *")].filter(
    e => e.getBoundingClientRect().right > width + 1 &&
         ![...e.children].some(c => c.getBoundingClientRect().right > width + 1));
  return wide.slice(0, 4).map(e => e.tagName.toLowerCase() +
    (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : "")
  ).join(", ");
}"""


class Audit:
    """Checks each distinct page once and collects problems, so one run lists them all."""

    def __init__(self):
        self.seen = set()
        self.problems = []

    def __call__(self, page):
        page.wait_for_load_state("load")
        key = page.url.split("?")[0]
        if key in self.seen:
            return
        self.seen.add(key)
        for violation in axe_violations(page):
            self.problems.append(f"{page.url}: {violation}")
        overflow = sideways_overflow(page)
        if overflow > 1:
            culprits = page.evaluate(WIDE_ELEMENTS)
            self.problems.append(f"{page.url}: scrolls sideways by {overflow} px ({culprits})")
        for error in page.js_errors:
            self.problems.append(f"{page.url}: script error {error}")
        page.js_errors.clear()

    def assert_clean(self):
        assert self.problems == [], "\n".join(self.problems)
