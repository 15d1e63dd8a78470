"""The Sources page's downloads: each file is made, named and stamped with the fact base version."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from haixi.downloads import downloads
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.report import HTML_LANG

MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


@pytest.fixture(scope="module", params=[DEFAULT_FACTS, MINIMAL], ids=["facts", "minimal"])
def fact_file(request) -> Path:
    return request.param


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_download_carries_the_version(fact_file, lang):
    base = load(fact_file)
    raw = fact_file.read_bytes()
    version, released = base.meta.version, base.meta.released.isoformat()
    items = {d.key: d for d in downloads(base, raw, lang)}
    assert list(items) == ["dl-report", "dl-csv", "dl-json", "dl-yaml", "dl-zip"]
    assert len({d.file_name for d in items.values()}) == len(items)
    for item in items.values():
        assert version in item.file_name, item.file_name
        assert item.label and item.icon.startswith(":material/")

    report = items["dl-report"].data().decode("utf-8")
    assert f'<html lang="{HTML_LANG[lang]}">' in report
    assert version in report and released in report
    assert f"-{lang}.html" in items["dl-report"].file_name

    rows = list(csv.DictReader(io.StringIO(items["dl-csv"].data().decode("utf-8"))))
    assert [r["id"] for r in rows] == [f.id for f in base.facts]
    assert {(r["fact_base_version"], r["fact_base_released"]) for r in rows} == {(version, released)}

    document = json.loads(items["dl-json"].data())
    assert document["meta"]["version"] == version
    assert [r["id"] for r in document["facts"]] == [f.id for f in base.facts]

    assert items["dl-yaml"].data() == raw

    with zipfile.ZipFile(io.BytesIO(items["dl-zip"].data())) as archive:
        descriptor = json.loads(archive.read("datapackage.json"))
        assert descriptor["version"] == version
        assert {r["path"] for r in descriptor["resources"]} <= set(archive.namelist())


def test_labels_follow_the_language():
    base = load(MINIMAL)
    zh = {d.key: d.label for d in downloads(base, b"", "zh")}
    en = {d.key: d.label for d in downloads(base, b"", "en")}
    assert zh["dl-report"] != en["dl-report"] and "HTML" in en["dl-report"]
    assert zh["dl-zip"] != en["dl-zip"]
