"""Tests of haixi.diff: the changelog of figures between two versions of the fact base."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from haixi.cli import main as cli_main
from haixi.diff import Change, Diff, changelog_section, diff
from haixi.loader import load

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "diff"
REPO_ROOT = HERE.parent
BASE = FIXTURES / "base.yaml"


def fixture(name: str):
    return load(FIXTURES / name)


def summary(result: Diff):
    """(added, removed, changed) as sets: (section, id) and (section, id, fields)."""
    return (
        {(e.section, e.id) for e in result.added},
        {(e.section, e.id) for e in result.removed},
        {(c.section, c.id, frozenset(c.fields)) for c in result.changed},
    )


def changed(section: str, ident: str, *fields: str):
    return (section, ident, frozenset(fields))


EXPECTED = {
    "value_changed.yaml": (
        set(),
        set(),
        {changed("facts", "per-capita-gdp", "value", "stated", "quote")},
    ),
    "fact_added.yaml": ({("facts", "rural-revitalisation-funds")}, set(), set()),
    "fact_removed.yaml": (set(), {("facts", "csp-delingha-capacity")}, set()),
    "quote_changed.yaml": (
        set(),
        set(),
        {changed("facts", "local-general-budget-revenue", "quote")},
    ),
    "qualifier_changed.yaml": (
        set(),
        set(),
        {changed("facts", "per-capita-gdp", "qualifier")},
    ),
    "stage_changed.yaml": (
        set(),
        set(),
        {changed("projects", "csg-polysilicon", "stage", "stage_as_stated")},
    ),
    "capacity_changed.yaml": (
        set(),
        set(),
        {
            changed(
                "projects",
                "jinhai-lithium-chloride-carbonate",
                "capacity[碳酸锂].value",
                "capacity[碳酸锂].stated",
            )
        },
    ),
    "multi.yaml": (
        {
            ("facts", "rural-revitalisation-projects"),
            ("projects", "ganfeng-lithium-metal"),
            ("programmes", "open-competition"),
        },
        {("facts", "csp-delingha-capacity")},
        {
            changed("facts", "per-capita-gdp", "value", "stated", "quote", "note"),
            changed("facts", "local-general-budget-revenue", "label"),
            changed("projects", "csg-polysilicon", "company", "programmes"),
            changed(
                "projects",
                "jinhai-lithium-chloride-carbonate",
                "capacity[碳酸锂].qualifier",
                "capacity[碳酸锂].qualifier_phrase",
                "output[氯化锂]",
            ),
            changed("chains", "clean-energy", "name"),
            changed("sources", "qaidam-new-era-2022", "note"),
            changed("meta", "meta", "curator"),
        },
    ),
}


# --------------------------------------------------------------------------- fixtures


def test_every_fixture_is_a_valid_fact_file():
    names = sorted(p.name for p in FIXTURES.glob("*.yaml"))
    assert names == sorted(["base.yaml", *EXPECTED])
    for name in names:
        fixture(name)  # raises FactBaseError if invalid


# --------------------------------------------------------------------------- what is found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_diff_finds_exactly_the_changes(name):
    assert summary(diff(fixture("base.yaml"), fixture(name))) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reverse_diff_swaps_added_and_removed(name):
    forward = diff(fixture("base.yaml"), fixture(name))
    backward = diff(fixture(name), fixture("base.yaml"))
    added, removed, changes = summary(forward)
    assert summary(backward) == (removed, added, changes)
    old_new = {
        (c.section, c.id, ch.field): (ch.old, ch.new) for c in forward.changed for ch in c.changes
    }
    new_old = {
        (c.section, c.id, ch.field): (ch.new, ch.old) for c in backward.changed for ch in c.changes
    }
    assert old_new == new_old


def test_identical_files_have_no_differences():
    result = diff(fixture("base.yaml"), fixture("base.yaml"))
    assert result.is_empty
    assert summary(result) == (set(), set(), set())
    assert result.to_text() == "no differences"
    assert result.to_text("zh") == "无差异"
    assert diff(
        load(REPO_ROOT / "data" / "facts.yaml"), load(REPO_ROOT / "data" / "facts.yaml")
    ).is_empty


def test_value_change_carries_old_and_new_values_and_the_new_quote():
    result = diff(fixture("base.yaml"), fixture("value_changed.yaml"))
    (record,) = result.changed
    assert record.changes == (
        Change("value", 170000, 180000),
        Change("stated", "17万元", "18万元"),
        Change("quote", "人均GDP达到17万元", "人均GDP达到18万元"),
    )
    assert record.quote == "人均GDP达到18万元"
    assert not result.is_empty


def test_qualifier_and_stage_values():
    (fact,) = diff(fixture("base.yaml"), fixture("qualifier_changed.yaml")).changed
    assert fact.change("qualifier") == Change("qualifier", "exact", "approximate")
    assert fact.quote == "人均GDP达到17万元"
    (project,) = diff(fixture("base.yaml"), fixture("stage_changed.yaml")).changed
    assert project.change("stage") == Change("stage", "started", "under_construction")


def test_capacity_matched_by_product():
    (project,) = diff(fixture("base.yaml"), fixture("capacity_changed.yaml")).changed
    assert project.change("capacity[碳酸锂].value") == Change(
        "capacity[碳酸锂].value", 10000, 20000
    )
    assert project.quote == "金海锂电1000吨氯化锂和1万吨吨级碳酸锂"


def test_added_fact_entry():
    result = diff(fixture("base.yaml"), fixture("fact_added.yaml"))
    (entry,) = result.added
    assert entry.label == {
        "zh": "衔接推进乡村振兴补助资金",
        "en": "Subsidy funds for rural revitalisation",
    }
    assert entry.stated == "6.21亿元"
    assert entry.quote == "落实中央和省州财政衔接推进乡村振兴补助资金6.21亿元"


def test_multi_versions_and_order():
    result = diff(fixture("base.yaml"), fixture("multi.yaml"))
    assert (result.old_version, result.new_version) == ("1.0.0", "1.1.0")
    assert (result.old_released, result.new_released) == ("2026-11-28", "2027-01-15")
    # Facts first, then projects, ..., sources, meta; within a section, file order.
    assert [(c.section, c.id) for c in result.changed] == [
        ("facts", "per-capita-gdp"),
        ("facts", "local-general-budget-revenue"),
        ("projects", "csg-polysilicon"),
        ("projects", "jinhai-lithium-chloride-carbonate"),
        ("chains", "clean-energy"),
        ("sources", "qaidam-new-era-2022"),
        ("meta", "meta"),
    ]
    assert [(e.section, e.id) for e in result.added] == [
        ("facts", "rural-revitalisation-projects"),
        ("projects", "ganfeng-lithium-metal"),
        ("programmes", "open-competition"),
    ]
    csg = next(c for c in result.changed if c.id == "csg-polysilicon")
    assert csg.change("programmes") == Change(
        "programmes", ["chain-investment"], ["chain-investment", "open-competition"]
    )
    assert csg.change("company").new == {"zh": "南玻", "en": "CSG Holding Co."}


def test_section_order_is_derived_from_the_schema():
    from haixi import diff as diff_module
    from haixi.schema import SECTIONS

    # Sections stating figures first, then the other records, then the sources.
    assert diff_module.SECTIONS == (
        "facts", "projects", "chains", "bases", "documents", "programmes", "milestones",
        "priorities", "errata", "sources",
    )
    assert sorted(diff_module.SECTIONS) == sorted(SECTIONS)


def test_version_bump_alone_is_a_difference(tmp_path):
    bumped = tmp_path / "bumped.yaml"
    bumped.write_text(
        BASE.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 1.0.1"),
        encoding="utf-8",
    )
    result = diff(fixture("base.yaml"), load(bumped))
    assert not result.is_empty
    assert summary(result) == (set(), set(), set())
    assert result.to_text() == "version 1.0.0 → 1.0.1"


# --------------------------------------------------------------------------- words and JSON


def test_text_of_value_change():
    result = diff(fixture("base.yaml"), fixture("value_changed.yaml"))
    assert result.to_text() == (
        "changed fact per-capita-gdp: value 170000 → 180000 (stated 17万元 → 18万元); "
        "quote: 人均GDP达到18万元"
    )


def test_text_of_multi_line_by_line():
    text = diff(fixture("base.yaml"), fixture("multi.yaml")).to_text()
    expected = [
        "version 1.0.0 → 1.1.0",
        "released 2026-11-28 → 2027-01-15",
        "added fact rural-revitalisation-projects: Rural revitalisation projects carried out"
        ' = 196个 ("实施项目196个")',
        "removed fact csp-delingha-capacity",
        "changed fact per-capita-gdp: value 170000 → 180000 (stated 17万元 → 18万元); "
        "note none → 按常住人口计算。 / Per resident.; quote: 人均GDP达到18万元",
        "changed fact local-general-budget-revenue: label 地方一般公共预算收入 / Local general"
        " public budget revenue → 地方一般公共预算收入 / Local general budget revenue; "
        "quote: 地方一般公共预算收入首次突破百亿元",
        "added project ganfeng-lithium-metal: Ganfeng Lithium 1,000 t lithium metal "
        '("赣锋锂电1000吨金属锂")',
        "changed project csg-polysilicon: company 南玻 / CSG Holding → 南玻 / CSG Holding Co.; "
        "programmes [chain-investment] → [chain-investment, open-competition]; "
        "quote: 南玻10万吨高纯多晶硅、中车10GW风电光伏装备制造等新能源装备产业链项目落地开工",
        "changed project jinhai-lithium-chloride-carbonate: "
        "capacity[碳酸锂].qualifier approximate → exact; "
        "capacity[碳酸锂].qualifier_phrase 吨级 / class → none; "
        "output[氯化锂] 氯化锂 / Lithium chloride: 1000 t_per_year (1000吨) → none; "
        "quote: 金海锂电1000吨氯化锂和1万吨吨级碳酸锂",
        "changed chain clean-energy: name 清洁能源 / Clean energy → 清洁能源 / Clean-energy industry",
        'added programme open-competition: "Open competition" (jiebang guashuai) for key '
        'technologies ("运用好“揭榜挂帅”和“帅才科学家”政策")',
        "changed source qaidam-new-era-2022: note none → 页面抓取文本。 / A scrape of a printed page.",
        "changed meta: curator Haixi dashboard team → Haixi dashboard team (corrections)",
    ]
    lines = text.split("\n")
    for number, (got, want) in enumerate(zip(lines, expected, strict=False), start=1):
        assert got == want, f"line {number}"
    assert len(lines) == len(expected)


def test_text_in_chinese_and_unknown_language():
    result = diff(fixture("base.yaml"), fixture("fact_added.yaml"))
    assert result.to_text("zh") == (
        "新增 事实 rural-revitalisation-funds: 衔接推进乡村振兴补助资金 = 6.21亿元 "
        '("落实中央和省州财政衔接推进乡村振兴补助资金6.21亿元")'
    )
    with pytest.raises(ValueError):
        result.to_text("fr")


def test_removed_text():
    result = diff(fixture("base.yaml"), fixture("fact_removed.yaml"))
    assert result.to_text() == "removed fact csp-delingha-capacity"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_json_round_trips_and_has_the_documented_shape(name):
    data = diff(fixture("base.yaml"), fixture(name)).to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {
        "old_version",
        "new_version",
        "old_released",
        "new_released",
        "added",
        "removed",
        "changed",
    }
    for entry in data["added"] + data["removed"]:
        assert set(entry) == {"section", "id", "label", "stated", "quote"}
    for record in data["changed"]:
        assert set(record) == {"section", "id", "changes", "quote"}
        for change in record["changes"]:
            assert set(change) == {"field", "old", "new"}


def test_json_of_value_change():
    data = diff(fixture("base.yaml"), fixture("value_changed.yaml")).to_json()
    assert data == {
        "old_version": "1.0.0",
        "new_version": "1.0.0",
        "old_released": "2026-11-28",
        "new_released": "2026-11-28",
        "added": [],
        "removed": [],
        "changed": [
            {
                "section": "facts",
                "id": "per-capita-gdp",
                "changes": [
                    {"field": "value", "old": 170000, "new": 180000},
                    {"field": "stated", "old": "17万元", "new": "18万元"},
                    {"field": "quote", "old": "人均GDP达到17万元", "new": "人均GDP达到18万元"},
                ],
                "quote": "人均GDP达到18万元",
            }
        ],
    }


# --------------------------------------------------------------------------- changelog section


def test_changelog_section_of_multi():
    text = changelog_section(diff(fixture("base.yaml"), fixture("multi.yaml")))
    lines = text.split("\n")
    assert lines[0] == "## 1.1.0 — 2027-01-15"
    assert "Changes from 1.0.0 (2026-11-28)." in lines
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == ["### Added", "### Changed", "### Removed"]
    removed = lines[lines.index("### Removed") + 1 :]
    assert [line for line in removed if line] == ["- fact csp-delingha-capacity"]
    assert (
        "- fact per-capita-gdp: value 170000 → 180000 (stated 17万元 → 18万元); "
        "note none → 按常住人口计算。 / Per resident.; quote: 人均GDP达到18万元"
    ) in lines


def test_changelog_section_without_changes():
    text = changelog_section(diff(fixture("base.yaml"), fixture("base.yaml")))
    assert text == "## 1.0.0 — 2026-11-28\n\nNo changes to the records.\n"


def test_changelog_has_a_section_for_the_current_release():
    meta = load(REPO_ROOT / "data" / "facts.yaml").meta
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.compile(
        rf"^## {re.escape(meta.version)} — {re.escape(meta.released.isoformat())}\s*$",
        re.MULTILINE,
    )
    assert heading.search(changelog), (
        f"CHANGELOG.md has no section '## {meta.version} — {meta.released.isoformat()}' "
        "for the current meta.version and meta.released of data/facts.yaml"
    )


# --------------------------------------------------------------------------- command line


def main(argv: list[str]) -> int:
    """python -m haixi diff ARGV, in process."""
    return cli_main(["diff", *argv])


def test_cli_text(capsys):
    assert main([str(BASE), str(FIXTURES / "value_changed.yaml")]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "changed fact per-capita-gdp: value 170000 → 180000 (stated 17万元 → 18万元); "
        "quote: 人均GDP达到18万元\n"
    )
    assert err == ""


def test_cli_identical_files(capsys):
    assert main([str(BASE), str(BASE)]) == 0
    out, err = capsys.readouterr()
    assert out == "no differences\n"
    assert err == ""


def test_cli_json(capsys):
    assert main([str(BASE), str(FIXTURES / "multi.yaml"), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out) == diff(fixture("base.yaml"), fixture("multi.yaml")).to_json()


def test_cli_markdown(capsys):
    assert main([str(BASE), str(FIXTURES / "multi.yaml"), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out == changelog_section(diff(fixture("base.yaml"), fixture("multi.yaml")))


@pytest.mark.parametrize("position", ["old", "new"])
def test_cli_invalid_file(tmp_path, capsys, position):
    bad = tmp_path / "broken-facts.yaml"
    bad.write_text(
        BASE.read_text(encoding="utf-8").replace(
            "unit: yuan, stated: 17万元", "unit: euro, stated: 17万元"
        ),
        encoding="utf-8",
    )
    argv = [str(bad), str(BASE)] if position == "old" else [str(BASE), str(bad)]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert str(bad) in err
    assert "euro" in err
    assert "Traceback" not in err


def test_cli_missing_file(tmp_path, capsys):
    missing = tmp_path / "missing.yaml"
    assert main([str(BASE), str(missing)]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err
    assert "file not found" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [[], [str(BASE)], [str(BASE), str(BASE), "--format", "xml"], [str(BASE), str(BASE), "-x"]],
)
def test_cli_usage_errors(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "usage:" in err
    assert "Traceback" not in err
