"""The loader on a corpus of broken fact files: each defect is named, with its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from haixi.loader import FactBaseError, load, load_text
from haixi.schema import FactBase

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
MINIMAL = HERE / "fixtures" / "minimal.yaml"
CASES = yaml.safe_load((BROKEN / "cases.yaml").read_text(encoding="utf-8"))


def _params() -> list:
    params = []
    for case in CASES:
        marks = ()
        if case.get("xfail"):
            marks = (pytest.mark.xfail(reason=case["xfail"], strict=True),)
        params.append(pytest.param(case, id=case["file"].removesuffix(".yaml"), marks=marks))
    return params


def _load_error(path: Path) -> FactBaseError:
    with pytest.raises(FactBaseError) as info:
        load(path)
    return info.value


def test_minimal_fixture_is_valid():
    base = load(MINIMAL)
    assert isinstance(base, FactBase)
    # It holds one record of every section, so each broken copy can break any of them.
    for section in ("sources", "chains", "projects", "bases", "documents", "programmes",
                    "milestones", "priorities", "errata"):
        assert len(getattr(base, section)) == 1, section
    assert len(base.facts) == 2


def test_corpus_is_large_enough_and_listed():
    files = {p.name for p in BROKEN.glob("*.yaml")} - {"cases.yaml"}
    listed = [case["file"] for case in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice in cases.yaml"
    assert set(listed) == files, (
        f"not in cases.yaml: {sorted(files - set(listed))}; "
        f"listed but missing: {sorted(set(listed) - files)}"
    )
    assert len(files) >= 28


@pytest.mark.parametrize("case", _params())
def test_broken_file_is_reported(case):
    path = BROKEN / case["file"]
    error = _load_error(path)
    problems = error.problems
    report = error.report()
    assert len(problems) == case.get("problems", 1), report
    problem = problems[0]
    assert case["fragment"] in problem.message, report
    assert problem.line == case["line"], report
    if "field" in case:
        assert problem.field == case["field"], report
    assert problem.file == str(path)
    # The report names the file and line the way editors jump to them.
    where = f"{path}:{case['line']}" if case["line"] is not None else f"{path}:"
    assert where in report, report
    assert "Traceback" not in report


def _three_problems(text: str) -> FactBaseError:
    with pytest.raises(FactBaseError) as info:
        load_text(text, "three.yaml")
    assert info.value.report().startswith("three.yaml: 3 problems\n"), info.value.report()
    return info.value


def test_three_defects_are_reported_at_once():
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("  curator: Test fixture", "  curator: !person Test fixture")  # line 8
    text = text.replace("unit: yuan", "unit: RMB", 1)  # line 22
    text = text.replace("stage: started", "stage: started\n    stage: built")  # line 46
    error = _three_problems(text)
    assert [(p.line, p.field) for p in error.problems] == [
        (8, "meta.curator"),
        (22, "facts.0.quantity.unit"),
        (46, "projects.0.stage"),
    ], error.report()
    assert "the tag !person is not allowed" in error.problems[0].message
    assert "'RMB' is not one of" in error.problems[1].message
    assert "duplicate key 'stage'" in error.problems[2].message


def test_three_cross_reference_defects_are_reported_at_once():
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("  - id: csp-delingha-capacity", "  - id: per-capita-gdp")  # line 27
    text = text.replace(
        "    chain: clean-energy\n    source: {source: qaidam-new-era-2022, quote: 青海",
        "    chain: clean-energi\n    source: {source: qaidam-new-era-2022, quote: 青海",
    )  # line 32
    text = text.replace("[chain-investment]", "[chain-investments]")  # line 49
    error = _three_problems(text)
    assert [(p.line, p.field) for p in error.problems] == [
        (27, "facts.1.id"),
        (32, "facts.1.chain"),
        (49, "projects.0.programmes.0"),
    ], error.report()


def test_cross_reference_and_field_defects_are_reported_together():
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("unit: yuan", "unit: RMB", 1)  # line 22
    text = text.replace(
        "    chain: clean-energy\n    source: {source: qaidam-new-era-2022, quote: 青海",
        "    chain: clean-energi\n    source: {source: qaidam-new-era-2022, quote: 青海",
    )  # line 32
    text = text.replace("stage: started", "stage: started\n    stage: built")  # line 46
    _three_problems(text)


def test_measure_defects_are_reported_with_field_defects():
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("unit: yuan", "unit: RMB", 1)  # line 22
    text = text.replace(
        "  - id: csp-delingha-capacity\n", "  - id: csp-delingha-capacity\n    measure: per-capita-gpd\n"
    )  # line 28
    text = text.rstrip("\n") + "\ndisplay:\n  chain_count: chain-count-stated\n"  # line 93
    error = _three_problems(text)
    assert [(p.line, p.field) for p in error.problems] == [
        (22, "facts.0.quantity.unit"),
        (28, "facts.1.measure"),
        (93, "display.chain_count"),
    ], error.report()
    assert "unknown measure 'chain-count-stated'" in error.problems[2].message


def test_load_text_and_load_agree(tmp_path):
    text = (BROKEN / "dangling-chain.yaml").read_text(encoding="utf-8")
    with pytest.raises(FactBaseError) as from_text:
        load_text(text, "x.yaml")
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    from_file = _load_error(path)
    assert [(p.line, p.column, p.field, p.message) for p in from_text.value.problems] == [
        (p.line, p.column, p.field, p.message) for p in from_file.problems
    ]


def test_a_bom_is_allowed(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert isinstance(load(path), FactBase)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: None, "file not found"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
    ids=["missing", "folder"],
)
def test_unreadable_paths(tmp_path, make, fragment):
    path = tmp_path / "facts.yaml"
    make(path)
    error = _load_error(path)
    assert fragment in error.report()
    assert "Traceback" not in error.report()


def test_lone_surrogate_is_a_problem_not_a_crash():
    text = MINIMAL.read_text(encoding="utf-8").replace("Test fixture", "Test \ud800", 1)
    with pytest.raises(FactBaseError) as info:
        load_text(text, "s.yaml")
    assert info.value.problems[0].line == 8
    assert "surrogate" in info.value.problems[0].message
