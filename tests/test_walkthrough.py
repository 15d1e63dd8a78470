"""docs/curating.md's "The next report, step by step", followed block by block on a copy of the
fact base with the tests' fictitious communiqué: what the guide says it prints and shows, it does."""

from __future__ import annotations

import contextlib
import io
import re
import shutil

import pytest

from haixi import cli, measures, views
from haixi.loader import load
from haixi.paths import REPO_ROOT
from tests.multi import MULTI_SOURCES

GUIDE = REPO_ROOT / "docs" / "curating.md"
HEADING = "## The next report, step by step"
SOURCE_ID = "haixi-communique-2022"


def walkthrough() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    assert HEADING in text, f"docs/curating.md lost its section {HEADING!r}"
    body = text[text.index(HEADING) + len(HEADING):]
    return body[: body.index("\n## ")]


def blocks(kind: str) -> list[str]:
    """The section's fenced blocks of one kind, dedented (they sit in a numbered list)."""
    found = re.findall(rf"^( *)```{kind}\n(.*?)^\1```$", walkthrough(), re.MULTILINE | re.DOTALL)
    return ["\n".join(line[len(indent):] for line in body.splitlines()) + "\n"
            for indent, body in found]


def yaml_blocks() -> dict[str, str]:
    """Each YAML block by the top-level key its first line says it goes under."""
    out = {}
    for block in blocks("yaml"):
        first, rest = block.split("\n", 1)
        key = re.fullmatch(r"# under (\w+):", first)
        assert key, f"a YAML block of the walkthrough does not say where it goes: {first!r}"
        out[key.group(1)] = rest
    return out


def insert_under(text: str, key: str, entries: str) -> str:
    """The fact file with `entries` first in its top-level list `key`, as a curator pastes it."""
    at = re.search(rf"^{key}:\n", text, re.MULTILINE)
    assert at, f"data/facts.yaml has no top-level {key}:"
    return text[: at.end()] + entries + text[at.end():]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def run(*argv: str) -> tuple[int, str, str]:
    """The command line in-process: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def walked(tmp_path_factory, monkeypatch_module) -> dict:
    """The walkthrough done on a copy of data/, step by step: each step's command and result."""
    data = tmp_path_factory.mktemp("walkthrough") / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    shutil.copy(MULTI_SOURCES / f"{SOURCE_ID}.txt", data / "sources")  # step 1
    facts, sources = data / "facts.yaml", str(data / "sources")
    parts = yaml_blocks()
    steps = {}
    # Step 2, registered; step 3, its numbers accounted for.
    facts.write_text(insert_under(facts.read_text(encoding="utf-8"), "sources",
                                  parts["sources"]), encoding="utf-8")
    steps["registered"] = run("coverage", str(facts), "--sources", sources,
                              "--source", SOURCE_ID)
    # Steps 4-5: the readings and the not-figures.
    text = facts.read_text(encoding="utf-8")
    for key in ("facts", "not_figures"):
        text = insert_under(text, key, parts[key])
    facts.write_text(text, encoding="utf-8")
    steps["curated"] = run("coverage", str(facts), "--sources", sources, "--source", SOURCE_ID)
    steps["validated"] = run("validate", str(facts), "--sources", sources)  # step 6
    steps["diff"] = run("diff", str(REPO_ROOT / "data" / "facts.yaml"), str(facts))
    monkeypatch_module.setenv("HAIXI_SOURCES", sources)
    steps["base"] = load(facts)
    return steps


def test_the_walkthrough_has_its_blocks():
    assert set(yaml_blocks()) == {"sources", "facts", "not_figures"}
    assert len(blocks("text")) == 3


def test_coverage_says_what_the_guide_prints(walked):
    before, after, _ = blocks("text")
    code, out, _ = walked["registered"]
    assert code == 1  # every number of the new file uncovered at first
    assert before.strip() in out.splitlines()
    code, out, _ = walked["curated"]
    assert code == 0, out
    assert after.strip() in out.splitlines()


def test_validate_passes_with_the_one_warning_the_guide_quotes(walked):
    code, _, err = walked["validated"]
    assert code == 0, err
    warnings = [line.strip() for line in err.splitlines() if "warning:" in line]
    assert warnings == [blocks("text")[2].strip()]


def test_diff_adds_the_readings_and_corrects_nothing(walked):
    code, out, _ = walked["diff"]
    assert code == 0
    assert "per-capita-gdp-communique-2022" in out
    assert "local-general-budget-revenue-communique-2022" in out
    assert "changed" not in out.casefold() and "correct" not in out.casefold(), out


def card(base, lang: str, reading: str) -> views.Figure:
    view = views.page("overview", base, lang)
    return next(f for b in view.blocks() if isinstance(b, views.Figures)
                for f in b.figures if f.id == reading)


def test_what_the_dashboard_then_shows(walked):
    grown = walked["base"]
    # Step 7, as the guide words it (zh values; the English page says the same in English).
    gdp = card(grown, "zh", "per-capita-gdp-communique-2022")
    assert gdp.value == "16.9万元"
    assert gdp.others and "1" in gdp.others
    assert "17万元" in gdp.disagreement
    revenue = card(grown, "zh", "local-general-budget-revenue-communique-2022")
    assert revenue.value == "141.91亿元"
    en = card(grown, "en", "local-general-budget-revenue-communique-2022")
    assert any("at least CNY 10 billion" in a for a in en.also), en.also
    assert "1 other reading" in card(grown, "en", "per-capita-gdp-communique-2022").others

    sources = views.page("sources", grown, "en")
    assert any(s.title == "Where sources disagree" for s in sources.sections)
    for lang in ("zh", "en"):
        credited = views.source_titles(grown, lang)
        for source in grown.sources:
            assert views.source_title(source, lang) in credited
    assert [d.measure for d in measures.discrepancies(grown)] == ["per-capita-gdp"]
