"""The code's shape: pages are thin, the import contracts hold and can fail, no HTML built in Python."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.browser import REPO_ROOT

PAGES = sorted((REPO_ROOT / "pages").glob("*.py"))
MODULES = sorted((REPO_ROOT / "haixi").rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Top-level package names and haixi modules a file imports (anywhere in it)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "haixi":
                found.update(f"haixi.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_only_starts_itself_and_renders_its_view(page):
    lines = page.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 40
    roots = {n.split(".")[0] for n in imports(page)}
    assert not roots & {"pandas", "plotly"}, roots


# The package's own layers are import-linter contracts ([tool.importlinter] in pyproject.toml,
# run by `make lint`); the page files and dashboard.py are outside the package, so checked here.
@pytest.mark.parametrize("script", [*PAGES, REPO_ROOT / "dashboard.py"], ids=lambda p: p.name)
def test_no_page_imports_both_streamlit_and_jinja2(script):
    roots = {n.split(".")[0] for n in imports(script)}
    assert not {"streamlit", "jinja2"} <= roots


CONTRACTS = {c["id"]: c["name"] for c in
             tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
             ["tool"]["importlinter"]["contracts"]}


def lint_imports(root: Path) -> tuple[int, set[str]]:
    """Run import-linter on the package and pyproject.toml under `root`: (exit code, the ids of
    the broken contracts)."""
    done = subprocess.run(
        [sys.executable, "-c",
         "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True))"],
        cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True, text=True, timeout=120,
    )
    output = " ".join(done.stdout.split())  # rich wraps long contract names
    broken = {ident for ident, name in CONTRACTS.items() if f"{name} BROKEN" in output}
    return done.returncode, broken


def test_the_import_contracts_hold():
    assert lint_imports(REPO_ROOT) == (0, set())


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    """A copy of the package and its contracts, to break."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(REPO_ROOT / "haixi", root / "haixi",
                    ignore=shutil.ignore_patterns("__pycache__", "templates"))
    shutil.copy(REPO_ROOT / "pyproject.toml", root)
    return root


# Each a change that breaks exactly one contract: (file, code appended to it, contract id).
VIOLATIONS = {
    "the-loader-imports-a-higher-layer": ("loader.py", "from haixi import diff\n", "layers"),
    "independent-siblings-import-each-other": ("export.py", "from haixi import diff\n", "layers"),
    "a-module-in-no-layer": ("extra.py", '"""Fictitious."""\n', "layers"),
    # Like the coverage <-> provenance cycle it was written for: hidden in a function, one layer.
    "a-cycle-inside-a-layer": ("i18n.py", "def _f():\n    from haixi import formatting\n",
                               "no-cycles"),
    "a-chart-imports-streamlit": ("charts.py", "import streamlit\n", "streamlit"),
    "the-streamlit-renderer-imports-jinja2": ("render_st.py", "import jinja2\n", "jinja2"),
    "views-escape-html": ("views/blocks.py", "import html\n", "views"),
    "a-page-view-imports-another": ("views/economy.py", "from haixi.views import overview\n",
                                    "view-modules"),
    "a-view-module-in-no-layer": ("views/extra.py", '"""Fictitious."""\n', "view-modules"),
}


def test_every_contract_has_a_violation_that_breaks_it():
    assert {contract for *_, contract in VIOLATIONS.values()} == set(CONTRACTS)


@pytest.mark.parametrize("violation", VIOLATIONS)
def test_each_import_contract_can_fail(package_copy, violation):
    name, code, contract = VIOLATIONS[violation]
    target = package_copy / "haixi" / name
    before = target.read_text(encoding="utf-8") if target.exists() else None
    target.write_text((before or "") + code, encoding="utf-8")
    try:
        assert lint_imports(package_copy) == (1, {contract})
    finally:
        if before is None:
            target.unlink()
        else:
            target.write_text(before, encoding="utf-8")


def test_the_unbroken_copy_keeps_every_contract(package_copy):
    assert lint_imports(package_copy) == (0, set())


# HTML elements a page is built from; a Python string holding one means HTML built by hand.
_HTML_TAG = re.compile(r"<(?:p|div|span|a|table|thead|tbody|tr|td|th|ul|ol|li|h[1-6]|section|"
                       r"article|figure|figcaption|header|footer|main|nav|blockquote|style|"
                       r"script|strong|em|cite|code|dl|dt|dd)[\s>]")


def html_in_strings(path: Path) -> list[str]:
    """String literals of a module that contain an HTML element (docstrings excepted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings and _HTML_TAG.search(node.value)
    ]


@pytest.mark.parametrize("module", [*MODULES, *PAGES, REPO_ROOT / "dashboard.py"],
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_html_is_built_in_python(module):
    """The report's HTML is in its templates; dashboard.py's one <style> block is the exception."""
    found = html_in_strings(module)
    if module.name == "dashboard.py":
        found = [s for s in found if not s.startswith("<style>")]
    if module.name == "report.py":
        found = [s for s in found if s != '<div id="']  # chart_ids reads plotly's output
    assert found == []


def test_the_html_check_can_fail(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text('"""Doc <p>."""\nHTML = "<p>" + "x"\n', encoding="utf-8")
    assert html_in_strings(bad) == ["<p>"]
