"""The export tables, the Frictionless data package, its zip and the JSON export."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from haixi import export
from haixi.loader import load, load_text
from haixi.paths import DEFAULT_FACTS
from haixi.schema import FactBase
from tests.multi import MULTI

MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load(DEFAULT_FACTS)


@pytest.fixture(scope="module")
def tables(base) -> dict[str, pd.DataFrame]:
    return export.tables(base)


def _errors(report) -> str:
    return "\n".join(
        f"{task.name}: {error.type}: {error.message}"
        for task in report.tasks
        for error in task.errors
    ) or "\n".join(f"{error.type}: {error.message}" for error in report.errors)


@pytest.mark.parametrize("facts", [DEFAULT_FACTS, MINIMAL], ids=["facts", "minimal"])
def test_frictionless_accepts_the_data_package(tmp_path, facts):
    descriptor = export.write_datapackage(load(facts), tmp_path)
    report = validate(str(descriptor))
    print(_errors(report))
    assert report.valid, _errors(report)
    assert len(report.tasks) == len(export.TABLES)


def test_frictionless_checks_the_foreign_keys(tmp_path, base):
    descriptor = export.write_datapackage(base, tmp_path)
    path = tmp_path / "project_outputs.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",clean-energy,", ",no-such-chain,", 1),
                    encoding="utf-8")
    report = validate(str(descriptor))
    assert not report.valid
    assert "foreign-key" in _errors(report)


def test_descriptor(base):
    descriptor = export.descriptor(base)
    assert descriptor["name"] == "haixi-facts"
    assert descriptor["version"] == base.meta.version
    assert descriptor["created"].startswith(base.meta.released.isoformat())
    assert descriptor["licenses"][0]["name"] == base.meta.license
    assert descriptor["sources"]
    names = [r["name"] for r in descriptor["resources"]]
    assert names == list(export.SPECS)
    keys = {(r["name"], fk["fields"], fk["reference"]["resource"])
            for r in descriptor["resources"] for fk in r["schema"].get("foreignKeys", [])}
    assert ("project_outputs", "chain", "chains") in keys
    assert ("facts", "chain", "chains") in keys
    for resource in descriptor["resources"]:
        assert resource["path"] == f"{resource['name']}.csv"
        assert resource["schema"]["primaryKey"]
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "number", "integer", "boolean", "date"}
            assert field["description"].strip(), (resource["name"], field["name"])


def test_every_table_carries_the_version(tables, base):
    assert set(tables) == set(export.SPECS)
    for name, frame in tables.items():
        assert list(frame.columns[-2:]) == list(export.VERSION_COLUMNS), name
        assert set(frame["fact_base_version"]) <= {base.meta.version}
        assert set(frame["fact_base_released"]) <= {base.meta.released.isoformat()}


def test_columns_are_ascii_snake_case_and_keys_unique(tables):
    for name, frame in tables.items():
        for column in frame.columns:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", column), (name, column)
        key = list(export.SPECS[name].primary_key)
        assert not frame.duplicated(subset=key).any(), name
        assert not frame[key].isna().any().any(), name


def test_table_contents(tables, base):
    facts = tables["facts"].set_index("id")
    assert list(facts.index) == [f.id for f in base.facts]
    for fact in base.facts:
        row = facts.loc[fact.id]
        assert row["value"] == fact.quantity.value
        assert row["unit"] == fact.quantity.unit.value
        assert row["quote"] == fact.source.quote
        assert row["label_zh"] == fact.label.zh
        assert bool(row["headline"]) == fact.headline
    outputs = tables["project_outputs"]
    assert len(outputs) == sum(len(p.outputs) for p in base.projects)
    for project in base.projects:
        rows = outputs[outputs["project_id"] == project.id]
        assert list(rows["output"]) == list(range(1, len(project.outputs) + 1))
        joined = ";".join(project.programmes) or None
        assert {None if pd.isna(v) else v for v in rows["programmes"]} == {joined}
    chains = tables["chains"].set_index("id")
    for chain in base.chains:
        assert chains.loc[chain.id, "n_projects"] == len(base.projects_of(chain.id))
        assert chains.loc[chain.id, "n_facts"] == len(base.facts_of(chain.id))


def test_csv_files_are_plain_utf8_and_read_back(base, tables):
    for name, text in export.csv_files(base).items():
        assert not text.startswith("\ufeff")
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        assert len(frame) == len(tables[name.removesuffix(".csv")])
    facts = pd.read_csv(io.StringIO(export.csv_files(base)["facts.csv"]))
    assert facts["value"].tolist() == [f.quantity.value for f in base.facts]


def test_zip_holds_the_package(tmp_path, base):
    data = export.datapackage_zip_bytes(base)
    assert data == export.datapackage_zip_bytes(base), "the zip should be reproducible"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert "datapackage.json" in names
        assert {f"{n}.csv" for n in export.SPECS} <= set(names)
        descriptor = json.loads(archive.read("datapackage.json"))
        assert descriptor["version"] == base.meta.version
        assert archive.testzip() is None
    path = tmp_path / "haixi-facts.zip"
    path.write_bytes(data)
    report = validate(str(path))
    assert report.valid, _errors(report)


def test_json_round_trips(tmp_path, base, tables):
    path = export.write_json(base, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["meta"] == json.loads(base.meta.model_dump_json())
    for name, frame in tables.items():
        assert data[name] == export.records(frame), name
    facts = {row["id"]: row for row in data["facts"]}
    for fact in base.facts:
        assert facts[fact.id]["value"] == fact.quantity.value
        assert facts[fact.id]["stated"] == fact.quantity.stated
        assert facts[fact.id]["note_en"] == (fact.note.en if fact.note else None)
    # Text round-trips too, Chinese unescaped.
    assert json.loads(export.json_text(base)) == data
    assert "人均GDP" in path.read_text(encoding="utf-8")
    assert export.json_bytes(base) == path.read_bytes()


# --------------------------------------------------------------------------- readings, measures



@pytest.fixture(scope="module")
def multi() -> FactBase:
    return load(MULTI)


def test_frictionless_accepts_the_multi_source_package(tmp_path, multi):
    descriptor = export.write_datapackage(multi, tmp_path)
    report = validate(str(descriptor))
    assert report.valid, _errors(report)
    assert len(report.tasks) == len(export.TABLES)


def test_frictionless_checks_the_preferred_reading_is_a_fact(tmp_path, multi):
    descriptor = export.write_datapackage(multi, tmp_path)
    path = tmp_path / "measures.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",per-capita-gdp-2021,", ",no-such-fact,", 1), encoding="utf-8")
    report = validate(str(descriptor))
    assert not report.valid
    assert "foreign-key" in _errors(report)


def test_every_reading_carries_its_measure_period_and_source(multi):
    facts = export.tables(multi)["facts"].set_index("id")
    assert list(facts.index) == [f.id for f in multi.facts]
    for fact in multi.facts:
        row = facts.loc[fact.id]
        assert (row["measure"], row["period"], row["source"]) == (
            fact.measure_id, fact.period, fact.source.source
        )
    csv = pd.read_csv(io.StringIO(export.csv_files(multi)["facts.csv"]), dtype=str)
    assert list(zip(csv["id"], csv["measure"], csv["period"], csv["source"], strict=True)) == [
        ("per-capita-gdp", "per-capita-gdp", "2022", "haixi-news-2022"),
        ("local-general-budget-revenue", "local-general-budget-revenue", "2022",
         "haixi-news-2022"),
        ("per-capita-gdp-communique-2022", "per-capita-gdp", "2022", "haixi-communique-2022"),
        ("local-general-budget-revenue-communique-2022", "local-general-budget-revenue", "2022",
         "haixi-communique-2022"),
        ("per-capita-gdp-2021", "per-capita-gdp", "2021", "haixi-report-2021"),
    ]


def test_the_measures_table_of_the_fixture(multi):
    rows = export.records(export.tables(multi)["measures"])
    picked = [
        {k: row[k] for k in ("measure", "period", "label_en", "unit", "n_readings",
                             "n_readings_all_periods", "preferred", "preferred_stated",
                             "preferred_source", "discrepancy", "examined")}
        for row in rows
    ]
    assert picked == [
        {"measure": "per-capita-gdp", "period": 2021, "label_en": "Per-capita GDP",
         "unit": "yuan", "n_readings": 1, "n_readings_all_periods": 3,
         "preferred": "per-capita-gdp-2021", "preferred_stated": "15.2万元",
         "preferred_source": "haixi-report-2021", "discrepancy": False, "examined": False},
        {"measure": "per-capita-gdp", "period": 2022, "label_en": "Per-capita GDP",
         "unit": "yuan", "n_readings": 2, "n_readings_all_periods": 3,
         "preferred": "per-capita-gdp-communique-2022", "preferred_stated": "16.9万元",
         "preferred_source": "haixi-communique-2022", "discrepancy": True, "examined": False},
        {"measure": "local-general-budget-revenue", "period": 2022,
         "label_en": "Local general public budget revenue", "unit": "yuan", "n_readings": 2,
         "n_readings_all_periods": 2,
         "preferred": "local-general-budget-revenue-communique-2022",
         "preferred_stated": "141.91亿元", "preferred_source": "haixi-communique-2022",
         "discrepancy": False, "examined": False},
    ]
    data = json.loads(export.json_text(multi))
    assert data["measures"] == rows


def test_an_examined_discrepancy_is_flagged_in_the_measures_table(multi):
    text = MULTI.read_text(encoding="utf-8").replace(
        "display:\n",
        "examined:\n  - {measure: per-capita-gdp, period: 2022, note: {zh: 口径不同, en: Differ}}\n"
        "display:\n",
        1,
    )
    rows = export.records(export.tables(load_text(text, "multi.yaml"))["measures"])
    assert [(r["period"], r["discrepancy"], r["examined"]) for r in rows[:2]] == [
        (2021, False, False), (2022, True, True)
    ]


def test_the_real_measures_table_has_one_row_per_fact(base):
    rows = export.records(export.tables(base)["measures"])
    assert [(r["measure"], r["preferred"], r["n_readings"]) for r in rows] == [
        (f.id, f.id, 1) for f in base.facts
    ]
    assert not any(r["discrepancy"] for r in rows)


def test_keywords_and_description_come_from_the_data(multi, base):
    one, several = export.descriptor(base), export.descriptor(multi)
    periods = sorted({f.period for f in base.facts})
    assert one["keywords"] == [*export.REGION_KEYWORDS, *map(str, periods), "newspaper_feature"]
    assert several["keywords"] == [
        *export.REGION_KEYWORDS, "2021", "2022", "newspaper_feature", "statistical_communique"
    ]
    assert several["description"].startswith(
        "Haixi Prefecture: figures for 2021-2022 from 3 sources: Haixi news (fictitious) by "
        "Test newspaper, on 2022; Statistical communiqué of Haixi on 2022 (fictitious) by Test "
        "statistics bureau, on 2022; Haixi's 2021 in review (fictitious) by Test newspaper, on "
        "2021. English is the curator's translation. Every row"
    )
    (source,) = base.sources
    assert one["description"].startswith(
        f"{base.meta.region.en}: figures for {periods[0]} from 1 source: {source.title.en} by "
    )
    assert [s["title"].split("; file ")[1] for s in several["sources"]] == [
        s.file for s in multi.sources
    ]
    # Neither the year nor the source is written in the code that builds the text.
    code = Path(export.__file__).read_text(encoding="utf-8")
    for word in ("2021", "2022", "2023", "qaidam-new-era", "newspaper_feature", "communique"):
        assert word not in code, word


def test_periods_text():
    assert export.periods_text((2022,)) == "2022"
    assert export.periods_text((2020, 2021, 2022)) == "2020-2022"
    assert export.periods_text((2019, 2021)) == "2019, 2021"


def test_a_source_url_is_the_package_sources_path(multi):
    text = MULTI.read_text(encoding="utf-8").replace(
        "    date_published: 2023-03-31\n",
        "    date_published: 2023-03-31\n    url: https://example.org/communique\n", 1,
    )
    edited = load_text(text, "multi.yaml")
    sources = export.descriptor(edited)["sources"]
    assert [s.get("path") for s in sources] == [None, "https://example.org/communique", None]
    row = export.records(export.tables(edited)["sources"])[1]
    assert (row["url"], row["date_published"], row["citation"]) == (
        "https://example.org/communique", "2023-03-31",
        "Statistical communiqué of Haixi on 2022 (fictitious test text).",
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "datapackage"])
def test_cli_exports_the_fixture_with_its_measures(tmp_path, capsys, fmt):
    from haixi.cli import main

    assert main(["export", "--format", fmt, str(tmp_path), "--facts", str(MULTI)]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads((tmp_path / export.JSON_FILE).read_text(encoding="utf-8"))
        assert [r["measure"] for r in data["measures"]] == [
            "per-capita-gdp", "per-capita-gdp", "local-general-budget-revenue"
        ]
        assert {r["measure"] for r in data["facts"]} == {
            "per-capita-gdp", "local-general-budget-revenue"
        }
        return
    assert str(tmp_path / "measures.csv") in out
    measures = pd.read_csv(tmp_path / "measures.csv", dtype=str, keep_default_na=False)
    assert list(measures["discrepancy"]) == ["false", "true", "false"]
    if fmt == "datapackage":
        report = validate(str(tmp_path / export.DESCRIPTOR_FILE))
        assert report.valid, _errors(report)
