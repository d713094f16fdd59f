"""One rule, one place (issue 13): a permission predicate nobody asks is a second wording of
a rule that the pages decide elsewhere, so none is left lying around."""

import ast
import re

from tests.conftest import ROOT_DIR

APPS = ("hackqc", "teams", "submissions", "judging")


def _sources():
    for app in APPS:
        for path in (ROOT_DIR / app).rglob("*"):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                yield path
    yield from (ROOT_DIR / "templates").rglob("*.html")


def test_every_permission_function_is_used_outside_its_module():
    texts = {path: path.read_text(encoding="utf-8") for path in _sources()}
    unused = []
    for module in [p for p in texts if p.name == "permissions.py"]:
        tree = ast.parse(texts[module])
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            word = re.compile(rf"\b{node.name}\b")
            elsewhere = any(word.search(text) for path, text in texts.items() if path != module)
            within = len(word.findall(texts[module])) > 1  # called by another predicate
            if not (elsewhere or within):
                unused.append(f"{module.relative_to(ROOT_DIR)}:{node.name}")
    assert sorted(set(unused) - NOT_YET_CALLED) == []


# --- Who may call whom (docs/architecture.md) -------------------------------------------

LEVELS = {"hackqc": 0, "teams": 1, "catalogue": 2, "submissions": 2, "judging": 3, "results": 4}
# The core URLconfs wire the language-independent /open-data/ URLs and the checked media
# view: imports at load time.
WIRING = {"hackqc.urls_open_data", "hackqc.urls"}
# Predicates landed but not called yet (none now): each must be used or deleted.
NOT_YET_CALLED: set[str] = set()


def _app(module):
    if module.startswith("judging.results"):
        return "results"
    if module.startswith("submissions.catalogue"):
        return "catalogue"
    top = module.split(".")[0]
    return top if top in LEVELS else None


def _upward_imports():
    for app in ("hackqc", "teams", "submissions", "judging"):
        for path in (ROOT_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT_DIR).with_suffix("").parts)
            lines = path.read_text(encoding="utf-8").splitlines()
            tree = ast.parse("\n".join(lines))
            lazy = {
                id(node)
                for func in ast.walk(tree)
                if isinstance(func, ast.FunctionDef)
                for node in ast.walk(func)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    targets = [node.module]
                elif isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                else:
                    continue
                for target in targets:
                    mine, theirs = _app(module), _app(target)
                    if theirs is None or mine is None or theirs == mine:
                        continue
                    upward = LEVELS[theirs] > LEVELS[mine] or (mine, theirs) == (
                        "catalogue",
                        "submissions",
                    )
                    if upward:
                        before = "\n".join(lines[max(0, node.lineno - 4) : node.lineno])
                        yield module, target, id(node) in lazy, "# Imported here:" in before


def test_every_upward_import_is_lazy_says_why_and_is_documented():
    architecture = (ROOT_DIR / "docs" / "architecture.md").read_text(encoding="utf-8")
    wrong = [
        f"{module} -> {target}"
        for module, target, lazy, reason in _upward_imports()
        if module not in WIRING and not (lazy and reason)
    ]
    undocumented = [
        module for module, _target, _lazy, _reason in _upward_imports()
        if f"`{module}`" not in architecture
    ]  # fmt: skip

    assert wrong == []
    assert undocumented == []
