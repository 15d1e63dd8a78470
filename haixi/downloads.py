"""The files the dashboard offers for download, each named and stamped with the fact base version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from haixi import export
from haixi.i18n import t
from haixi.schema import FactBase


@dataclass(frozen=True)
class Download:
    """One download button: what it is called, the file it gives and how to make its bytes."""

    key: str
    label: str
    file_name: str
    mime: str
    icon: str
    data: Callable[[], bytes]


def stem(base: FactBase) -> str:
    """The start of every downloaded file's name: the fact base and its version."""
    return f"haixi-facts-{base.meta.version}"


def _report(base: FactBase, lang: str) -> bytes:
    from haixi.report import build_report  # imported on demand: it pulls in plotly.js

    return build_report(base, lang).encode("utf-8")


def downloads(base: FactBase, yaml_bytes: bytes, lang: str) -> list[Download]:
    """Every download of the Sources page, in the order shown; data is built only when asked.

    `yaml_bytes` is the fact file exactly as it was validated, so the YAML is the version
    on screen even while an invalid edit of the file is pending.
    """
    name = stem(base)
    return [
        Download(
            "dl-report", t("sources.report", lang), f"{name}-report-{lang}.html", "text/html",
            ":material/print:", lambda: _report(base, lang),
        ),
        Download(
            "dl-csv", "CSV", f"{name}-facts.csv", "text/csv", ":material/table:",
            lambda: export.csv_files(base)["facts.csv"].encode("utf-8"),
        ),
        Download(
            "dl-json", "JSON", f"{name}.json", "application/json", ":material/data_object:",
            lambda: export.json_bytes(base),
        ),
        Download(
            "dl-yaml", "YAML", f"{name}.yaml", "application/yaml", ":material/description:",
            lambda: yaml_bytes,
        ),
        Download(
            "dl-zip", t("sources.datapackage", lang), f"{name}-datapackage.zip",
            "application/zip", ":material/folder_zip:",
            lambda: export.datapackage_zip_bytes(base),
        ),
    ]
