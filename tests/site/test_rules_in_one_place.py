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
    assert unused == []
