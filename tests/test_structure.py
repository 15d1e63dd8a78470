"""The code's shape: pages are thin, imports go one way, no module mixes the two renderers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.browser import REPO_ROOT

PAGES = sorted((REPO_ROOT / "pages").glob("*.py"))
MODULES = sorted((REPO_ROOT / "haixi").glob("*.py"))

# Layers, lowest first: a module may import its own layer and the ones below, never above.
LAYERS = [
    {"paths", "i18n", "schema", "theme", "formatting", "serving", "memo"},
    {"loader", "provenance", "docs", "coverage"},
    {"charts", "export", "diff"},
    {"views"},
    {"report", "downloads", "app", "render_st"},
    {"cli", "__main__", "__init__"},
]


def layer_of(name: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if name in names)


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


def haixi_modules(path: Path) -> set[str]:
    return {n.split(".")[1] for n in imports(path) if n.startswith("haixi.")}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_only_starts_itself_and_renders_its_view(page):
    lines = page.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 40
    roots = {n.split(".")[0] for n in imports(page)}
    assert not roots & {"pandas", "plotly"}, roots


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_module_is_in_a_layer_and_imports_downwards(module):
    name = module.stem
    own = layer_of(name)
    for other in haixi_modules(module) - {name}:
        assert layer_of(other) <= own, f"haixi.{name} (layer {own}) imports haixi.{other}"


@pytest.mark.parametrize("module", [*MODULES, *PAGES, REPO_ROOT / "dashboard.py"],
                         ids=lambda p: p.name)
def test_no_module_imports_both_streamlit_and_jinja2(module):
    roots = {n.split(".")[0] for n in imports(module)}
    assert not {"streamlit", "jinja2"} <= roots


def test_views_use_no_renderer():
    roots = {n.split(".")[0] for n in imports(REPO_ROOT / "haixi" / "views.py")}
    assert not roots & {"streamlit", "jinja2", "markupsafe", "html"}


def test_the_layer_check_can_fail(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("from haixi import render_st\n", encoding="utf-8")
    assert haixi_modules(bad) == {"render_st"}
    assert layer_of("render_st") > layer_of("views")


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
                         ids=lambda p: p.name)
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
