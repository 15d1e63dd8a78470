"""Tests of haixi.diff: the changelog of figures between two versions of the fact base."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from haixi.cli import main as cli_main
from haixi.diff import Change, Diff, changelog_section, diff
from haixi.loader import load
from tests.multi import MULTI, multi_edited

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
        "added fact rural-revitalisation-projects: 2022 reading of Rural revitalisation projects"
        " carried out (measure rural-revitalisation-projects, source qaidam-new-era-2022)"
        ' = 196个 ("实施项目196个")',
        "removed fact csp-delingha-capacity: 2022 reading of Supcon Delingha tower CSP plant, "
        "phase I capacity (measure csp-delingha-capacity, source qaidam-new-era-2022)",
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
        "新增 事实 rural-revitalisation-funds: 2022年读数:衔接推进乡村振兴补助资金"
        "(指标 rural-revitalisation-funds,来源 qaidam-new-era-2022) = 6.21亿元 "
        '("落实中央和省州财政衔接推进乡村振兴补助资金6.21亿元")'
    )
    with pytest.raises(ValueError):
        result.to_text("fr")


def test_removed_text():
    result = diff(fixture("base.yaml"), fixture("fact_removed.yaml"))
    assert result.to_text() == (
        "removed fact csp-delingha-capacity: 2022 reading of Supcon Delingha tower CSP plant, "
        "phase I capacity (measure csp-delingha-capacity, source qaidam-new-era-2022)"
    )


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
        assert set(entry) == {
            "section", "id", "label", "stated", "quote", "measure", "period", "source"
        }
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
    assert [line for line in removed if line] == [
        "- fact csp-delingha-capacity: 2022 reading of Supcon Delingha tower CSP plant, phase I "
        "capacity (measure csp-delingha-capacity, source qaidam-new-era-2022)"
    ]
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


# --------------------------------------------------------------------------- readings of measures

EDITION_2021 = FIXTURES / "readings" / "edition-2021.yaml"
GDP_2021_LINE = (
    "changed fact per-capita-gdp-2021: id per-capita-gdp → per-capita-gdp-2021; "
    "headline yes → no; quote: 全州人均GDP达到15.2万元"
)


def test_a_new_periods_reading_is_added_never_a_correction():
    # The 2021 edition's per-capita-gdp (2021) is the next edition's per-capita-gdp-2021; the id
    # per-capita-gdp now names the newspaper's 2022 reading. Matched by id, the 2022 figure
    # would be a "correction" of the 2021 one; matched by measure, period and source it is new.
    result = diff(load(EDITION_2021), load(MULTI))
    assert summary(result) == (
        {
            ("facts", "per-capita-gdp"),
            ("facts", "local-general-budget-revenue"),
            ("facts", "per-capita-gdp-communique-2022"),
            ("facts", "local-general-budget-revenue-communique-2022"),
            ("sources", "haixi-news-2022"),
            ("sources", "haixi-communique-2022"),
        },
        set(),
        {
            changed("facts", "per-capita-gdp-2021", "id", "headline"),
            changed("display", "display", "highlights.economy"),
        },
    )
    assert not any(c.field in {"value", "period", "source"} for r in result.changed
                   for c in r.changes)
    gdp = next(e for e in result.added if e.id == "per-capita-gdp")
    assert (gdp.measure, gdp.period, gdp.source) == ("per-capita-gdp", 2022, "haixi-news-2022")
    lines = result.to_text().split("\n")
    assert (
        "added fact per-capita-gdp: 2022 reading of Per-capita GDP (measure per-capita-gdp, "
        'source haixi-news-2022) = 17万元 ("人均GDP达到17万元")'
    ) in lines
    assert GDP_2021_LINE in lines
    assert "added source haixi-news-2022: Haixi news (fictitious) (2022)" in lines
    assert "changed display: highlights.economy none → local-general-budget-revenue" in lines
    zh = result.to_text("zh").split("\n")
    assert (
        "新增 事实 per-capita-gdp: 2022年读数:人均GDP(指标 per-capita-gdp,来源 haixi-news-2022)"
        ' = 17万元 ("人均GDP达到17万元")'
    ) in zh
    assert "新增 来源 haixi-communique-2022: 海西州2022年国民经济和社会发展统计公报(虚构) (2022年)" in zh


def test_the_readings_diff_reversed_removes_what_was_added():
    forward, backward = diff(load(EDITION_2021), load(MULTI)), diff(load(MULTI), load(EDITION_2021))
    added, removed, _ = summary(forward)
    assert summary(backward)[:2] == (removed, added)
    # The id per-capita-gdp names the 2021 reading in the older file: the line says which
    # reading went.
    assert (
        "removed fact per-capita-gdp: 2022 reading of Per-capita GDP (measure per-capita-gdp, "
        "source haixi-news-2022)"
    ) in backward.to_text().split("\n")
    (gdp,) = [c for c in backward.changed if c.section == "facts"]
    assert gdp.id == "per-capita-gdp" and gdp.change("id") == Change(
        "id", "per-capita-gdp-2021", "per-capita-gdp"
    )


def test_a_changed_value_of_the_same_reading_is_still_a_correction():
    result = diff(
        load(MULTI),
        multi_edited(("{value: 169000, unit: yuan, stated: 16.9万元}",
                      "{value: 168000, unit: yuan, stated: 16.8万元}")),
    )
    assert summary(result) == (
        set(), set(), {changed("facts", "per-capita-gdp-communique-2022", "value", "stated")}
    )
    assert result.to_text() == (
        "changed fact per-capita-gdp-communique-2022: value 169000 → 168000 "
        "(stated 16.9万元 → 16.8万元); quote: 全州人均生产总值16.9万元"
    )


def test_the_same_id_for_another_period_is_a_new_reading():
    result = diff(load(MULTI), multi_edited(("    period: 2021\n", "    period: 2020\n")))
    assert summary(result) == (
        {("facts", "per-capita-gdp-2021")}, {("facts", "per-capita-gdp-2021")}, set()
    )
    (entry,) = result.added
    assert entry.period == 2020
    assert result.to_text().startswith(
        "added fact per-capita-gdp-2021: 2020 reading of Per-capita GDP (measure per-capita-gdp,"
        " source haixi-report-2021)"
    )


def test_measure_and_preferred_changes_are_reported():
    result = diff(
        load(MULTI),
        multi_edited(
            ("  - id: per-capita-gdp-communique-2022\n    measure: per-capita-gdp\n",
             "  - id: per-capita-gdp-communique-2022\n"),
            ("    headline: true\n    source: {source: haixi-news-2022, quote: 人均GDP达到17万元}",
             "    headline: true\n    preferred: true\n"
             "    preferred_note: {zh: 整理者优先, en: The curator prefers it}\n"
             "    source: {source: haixi-news-2022, quote: 人均GDP达到17万元}"),
        ),
    )
    assert summary(result) == (
        set(),
        set(),
        {
            changed("facts", "per-capita-gdp", "preferred", "preferred_note"),
            changed("facts", "per-capita-gdp-communique-2022", "measure"),
        },
    )
    text = result.to_text()
    assert (
        "changed fact per-capita-gdp-communique-2022: measure per-capita-gdp → "
        "per-capita-gdp-communique-2022; quote: 全州人均生产总值16.9万元"
    ) in text
    assert "changed fact per-capita-gdp: preferred no → yes; preferred_note none → " in text


def test_examined_entries_are_added_changed_and_removed():
    examined = "examined:\n  - measure: per-capita-gdp\n    period: 2022\n    note: {zh: 甲, en: A}\n"
    once = multi_edited(("display:\n", examined + "display:\n"))
    again = multi_edited(("display:\n", examined.replace("en: A", "en: B") + "display:\n"))
    added = diff(load(MULTI), once)
    assert summary(added) == ({("examined", "per-capita-gdp 2022")}, set(), set())
    assert added.to_text() == "added examined per-capita-gdp 2022: A"
    assert diff(once, load(MULTI)).to_text() == "removed examined per-capita-gdp 2022"
    assert diff(once, again).to_text() == (
        "changed examined per-capita-gdp 2022: note 甲 / A → 甲 / B"
    )


def test_display_and_citation_metadata_changes_are_reported():
    result = diff(
        load(MULTI),
        multi_edited(
            ("    economy: local-general-budget-revenue", "    economy: per-capita-gdp"),
            ("    date_published: 2023-03-31\n",
             "    date_published: 2023-04-01\n    date_accessed: 2026-11-20\n"
             "    url: https://example.org/communique\n    license: CC-BY-4.0\n"),
        ),
    )
    assert summary(result) == (
        set(),
        set(),
        {
            changed("sources", "haixi-communique-2022", "date_published", "date_accessed", "url",
                    "license"),
            changed("display", "display", "highlights.economy"),
        },
    )
    lines = result.to_text().split("\n")
    assert lines == [
        "changed source haixi-communique-2022: url none → https://example.org/communique; "
        "date_published 2023-03-31 → 2023-04-01; date_accessed none → 2026-11-20; "
        "license none → CC-BY-4.0",
        "changed display: highlights.economy local-general-budget-revenue → per-capita-gdp",
    ]


def test_readings_in_json_and_markdown(capsys):
    result = diff(load(EDITION_2021), load(MULTI))
    data = result.to_json()
    gdp = next(e for e in data["added"] if e["id"] == "per-capita-gdp")
    assert (gdp["measure"], gdp["period"], gdp["source"]) == (
        "per-capita-gdp", 2022, "haixi-news-2022"
    )
    news = next(e for e in data["added"] if e["id"] == "haixi-news-2022")
    assert (news["section"], news["period"], news["measure"]) == ("sources", 2022, None)
    display = next(c for c in data["changed"] if c["section"] == "display")
    assert display["changes"] == [
        {"field": "highlights.economy", "old": None, "new": "local-general-budget-revenue"}
    ]
    section = changelog_section(result)
    assert (
        "- fact per-capita-gdp: 2022 reading of Per-capita GDP (measure per-capita-gdp, "
        'source haixi-news-2022) = 17万元 ("人均GDP达到17万元")'
    ) in section.split("\n")
    assert "- source haixi-communique-2022: Statistical communiqué of Haixi on 2022 " \
        "(fictitious) (2022)" in section.split("\n")
    assert f"- {GDP_2021_LINE.removeprefix('changed ')}" in section.split("\n")
    assert main([str(EDITION_2021), str(MULTI), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == data
    assert main([str(EDITION_2021), str(MULTI), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == section
    assert main([str(EDITION_2021), str(MULTI)]) == 0
    assert capsys.readouterr().out == result.to_text() + "\n"
