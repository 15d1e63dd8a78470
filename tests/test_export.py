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
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.schema import FactBase

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
