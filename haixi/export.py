"""Tidy tables of the fact base and their export as CSV, JSON and a Frictionless data package."""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from haixi.measures import discrepancies, measures, periods, periods_text, preferred
from haixi.schema import Bilingual, FactBase, Quote

PACKAGE_NAME = "haixi-facts"
JSON_FILE = "facts.json"
DESCRIPTOR_FILE = "datapackage.json"

# Frictionless Table Schema types -> pandas dtypes. Dates stay ISO strings in pandas.
_DTYPES = {
    "string": "string",
    "number": "Float64",
    "integer": "Int64",
    "boolean": "boolean",
    "date": "string",
}

_LICENSES = {
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0"),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
    "ODC-BY-1.0": ("https://opendatacommons.org/licenses/by/1-0/", "Open Data Commons Attribution"),
}


# --------------------------------------------------------------------------- table specs


@dataclass(frozen=True)
class Column:
    """One column of an exported table: name, Table Schema type and description."""

    name: str
    type: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    """An exported table: its columns, keys and how its rows come from the fact base."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[FactBase], Iterable[dict]]
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)


def _c(name: str, type_: str, description: str, required: bool = False) -> Column:
    return Column(name, type_, description, required)


def _pair(stem: str, what: str, required: bool = True) -> tuple[Column, Column]:
    """A zh/en column pair for a Bilingual field."""
    return (
        _c(f"{stem}_zh", "string", f"{what}, in Chinese: the source's own words.", required),
        _c(f"{stem}_en", "string", f"{what}, in English: the curator's translation.", required),
    )


def _bi(prefix: str, value: Bilingual | None) -> dict:
    return {
        f"{prefix}_zh": value.zh if value else None,
        f"{prefix}_en": value.en if value else None,
    }


def _quote(quote: Quote) -> dict:
    return {"source": quote.source, "quote": quote.quote}


ID = _c("id", "string", "Stable identifier of the record.", True)
SOURCE = _c("source", "string", "Id of the source document (see the sources table).", True)
QUOTE = _c("quote", "string", "The clause of the source that backs the record, verbatim.", True)
SOURCE_FK = ("source", "sources", "id")


def _fact_rows(base: FactBase):
    for fact in base.facts:
        q = fact.quantity
        yield {
            "id": fact.id,
            "measure": fact.measure_id,
            **_bi("label", fact.label),
            "value": q.value,
            "unit": q.unit.value,
            "stated": q.stated,
            "qualifier": q.qualifier.value,
            **_bi("qualifier_phrase", q.qualifier_phrase),
            "period": fact.period,
            "topic": fact.topic.value,
            "chain": fact.chain,
            "headline": fact.headline,
            **_quote(fact.source),
            **_bi("note", fact.note),
        }


def _measure_rows(base: FactBase):
    disagreeing = {(d.measure, d.period): d for d in discrepancies(base)}
    for ident, measure in measures(base).items():
        named = base.find_fact(ident) or measure.readings[0]
        for period in measure.periods:
            readings = measure.of(period)
            best = preferred(base, readings)
            found = disagreeing.get((ident, period))
            yield {
                "measure": ident,
                "period": period,
                **_bi("label", named.label),
                "unit": named.quantity.unit.value,
                "n_readings": len(readings),
                "n_readings_all_periods": len(measure.readings),
                "preferred": best.id,
                "preferred_value": best.quantity.value,
                "preferred_stated": best.quantity.stated,
                "preferred_qualifier": best.quantity.qualifier.value,
                "preferred_source": best.source.source,
                "discrepancy": found is not None,
                "examined": found is not None and found.examined is not None,
            }


def _output_rows(base: FactBase):
    for project in base.projects:
        for index, output in enumerate(project.outputs, start=1):
            cap = output.capacity
            yield {
                "project_id": project.id,
                "output": index,
                **_bi("project", project.name),
                **_bi("company", project.company),
                **_bi("product", output.product),
                "capacity_value": cap.value if cap else None,
                "capacity_unit": cap.unit.value if cap else None,
                "capacity_stated": cap.stated if cap else None,
                "capacity_qualifier": cap.qualifier.value if cap else None,
                "stage": project.stage.value,
                "stage_as_stated": project.stage_as_stated,
                "chain": project.chain,
                "chain_basis": project.chain_basis.value if project.chain_basis else None,
                "chain_as_stated": project.chain_as_stated,
                "programmes": ";".join(project.programmes) or None,
                "year": project.year,
                **_quote(project.source),
                **_bi("note", project.note),
            }


def _chain_rows(base: FactBase):
    projects = Counter(p.chain for p in base.projects)
    facts = Counter(f.chain for f in base.facts)
    for chain in sorted(base.chains, key=lambda c: c.position):
        yield {
            "id": chain.id,
            "position": chain.position,
            **_bi("name", chain.name),
            "n_projects": projects[chain.id],
            "n_facts": facts[chain.id],
            "n_highlights": len(chain.highlights),
            **_bi("note", chain.note),
        }


def _statement_rows(base: FactBase):
    owners = [("chains", "highlight", c, c.highlights) for c in base.chains]
    owners += [("projects", "record", p, p.records) for p in base.projects]
    for section, kind, owner, statements in owners:
        for index, statement in enumerate(statements, start=1):
            yield {
                "section": section,
                "owner_id": owner.id,
                "kind": kind,
                "index": index,
                **_bi("text", statement.text),
                **_quote(statement.source),
            }


def _base_rows(base: FactBase):
    for item in base.bases:
        yield {
            "id": item.id,
            **_bi("name", item.name),
            "status": item.status.value,
            "status_as_stated": item.status_as_stated,
            **_quote(item.source),
        }


def _document_rows(base: FactBase):
    for doc in base.documents:
        yield {
            "id": doc.id,
            "position": doc.position,
            **_bi("title", doc.title),
            "year": doc.year,
            "year_basis": doc.year_basis.value if doc.year_basis else None,
            **_bi("issuer", doc.issuer),
            "topic": doc.topic.value,
            **_quote(doc.source),
        }


def _programme_rows(base: FactBase):
    projects = Counter(pid for p in base.projects for pid in p.programmes)
    for prog in base.programmes:
        yield {
            "id": prog.id,
            **_bi("name", prog.name),
            "kind": prog.kind.value,
            "topic": prog.topic.value,
            **_bi("description", prog.description),
            "n_projects": projects[prog.id],
            **_quote(prog.source),
        }


def _milestone_rows(base: FactBase):
    for item in base.milestones:
        yield {
            "id": item.id,
            **_bi("text", item.text),
            "period": item.period,
            "topic": item.topic.value,
            **_quote(item.source),
            **_bi("note", item.note),
        }


def _priority_rows(base: FactBase):
    for item in base.priorities:
        yield {
            "id": item.id,
            "area": item.area.value,
            **_bi("text", item.text),
            **_quote(item.source),
        }


def _erratum_rows(base: FactBase):
    for item in base.errata:
        yield {
            "id": item.id,
            "kind": item.kind.value,
            "source": item.source.source,
            "line": item.line,
            "quote": item.source.quote,
            **_bi("description", item.description),
        }


def _source_rows(base: FactBase):
    for src in base.sources:
        yield {
            "id": src.id,
            "file": src.file,
            "sha256": src.sha256,
            **_bi("title", src.title),
            **_bi("publisher", src.publisher),
            "kind": src.kind,
            "covers": src.covers,
            **_bi("note", src.note),
            "url": src.url,
            "date_published": src.date_published.isoformat() if src.date_published else None,
            "date_accessed": src.date_accessed.isoformat() if src.date_accessed else None,
            "citation": src.citation,
            "license": src.license,
        }


NOTE = _pair("note", "What is ambiguous about the record", required=False)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "facts",
        "Facts",
        "One row per figure of a source: a reading of a measure for a period by a source, with "
        "its unit, qualifier and verbatim quote.",
        (
            ID,
            _c("measure", "string", "Id of the measure the figure reads (see measures); a fact "
               "naming no measure is its own, named by its id.", True),
            *_pair("label", "What the figure measures"),
            _c("value", "number", "The figure in base units (yuan, persons, t/year, MW, percent).", True),
            _c("unit", "string", "Unit of value: yuan, percent, persons, count, rank, t_per_year, MW or MW_per_year.", True),
            _c("stated", "string", "The figure exactly as the text writes it (it appears in quote).", True),
            _c("qualifier", "string", "exact; at_least for thresholds reached (首次突破); more_than for a figure "
               "strictly above (超过); nearly for one just below (近); approximate for size "
               "classes (…级).", True),
            *_pair("qualifier_phrase", "The words the text qualifies the figure with", required=False),
            _c("period", "integer", "Year the figure describes.", True),
            _c("topic", "string", "Dashboard section the fact belongs to.", True),
            _c("chain", "string", "Id of the industry chain it concerns, if any (see chains)."),
            _c("headline", "boolean", "Shown as a headline result on the overview.", True),
            SOURCE,
            QUOTE,
            *NOTE,
        ),
        _fact_rows,
        foreign_keys=(("chain", "chains", "id"), SOURCE_FK),
    ),
    TableSpec(
        "measures",
        "Measures",
        "One row per measure and period read: how many readings, the preferred one, and whether "
        "readings of that period disagree.",
        (
            _c("measure", "string", "Id of the measure (see the facts' measure column).", True),
            _c("period", "integer", "Year the readings describe.", True),
            *_pair("label", "What the measure is: the label of the fact named by its id"),
            _c("unit", "string", "Unit of the measure's readings (see facts.unit).", True),
            _c("n_readings", "integer", "Number of readings of the measure for this period.", True),
            _c("n_readings_all_periods", "integer", "Number of readings of the measure, every "
               "period.", True),
            _c("preferred", "string", "Id of the preferred reading of this period (see facts): "
               "the curator's preferred: true, else an exact figure over a bound or an "
               "approximation, then the more official source, then the later publication.", True),
            _c("preferred_value", "number", "Value of the preferred reading, in base units.", True),
            _c("preferred_stated", "string", "The preferred reading as its text writes it.", True),
            _c("preferred_qualifier", "string", "Qualifier of the preferred reading.", True),
            _c("preferred_source", "string", "Id of the preferred reading's source.", True),
            _c("discrepancy", "boolean", "Two readings of this measure and period cannot both be "
               "right (their qualifiers read as intervals do not overlap).", True),
            _c("examined", "boolean", "The curator has examined the discrepancy (see the fact "
               "base's examined); readers still see it.", True),
        ),
        _measure_rows,
        primary_key=("measure", "period"),
        foreign_keys=(("preferred", "facts", "id"), ("preferred_source", "sources", "id")),
    ),
    TableSpec(
        "project_outputs",
        "Project outputs",
        "One row per product of a named project, with the project's company, stage, chain and programmes.",
        (
            _c("project_id", "string", "Id of the project.", True),
            _c("output", "integer", "Number of the output within its project (1 = first).", True),
            *_pair("project", "Name of the project"),
            *_pair("company", "The company behind the project", required=False),
            *_pair("product", "What the project makes or does"),
            _c("capacity_value", "number", "Capacity in base units, where the text states one."),
            _c("capacity_unit", "string", "Unit of the capacity: t_per_year, MW or MW_per_year."),
            _c("capacity_stated", "string", "The capacity exactly as the text writes it."),
            _c("capacity_qualifier", "string", "exact, at_least, more_than, nearly or approximate."),
            _c("stage", "string", "Stage reached, normalised by the curator.", True),
            _c("stage_as_stated", "string", "The text's words for the stage.", True),
            _c("chain", "string", "Id of the chain the project belongs to (see chains)."),
            _c("chain_basis", "string", "stated when the text names the chain; curator when classified by the curator."),
            _c("chain_as_stated", "string", "The chain as the text names it, when it does."),
            _c("programmes", "string", "Ids of the programmes the project is part of, joined by ';'."),
            _c("year", "integer", "Year of the stage, if stated."),
            SOURCE,
            QUOTE,
            *NOTE,
        ),
        _output_rows,
        primary_key=("project_id", "output"),
        foreign_keys=(("chain", "chains", "id"), SOURCE_FK),
    ),
    TableSpec(
        "chains",
        "Industry chains",
        "The industry chains of the chain-leader system, in the text's order, with record counts.",
        (
            ID,
            _c("position", "integer", "Order in the text's list (1 = first named).", True),
            *_pair("name", "Name of the chain"),
            _c("n_projects", "integer", "Number of projects linked to the chain.", True),
            _c("n_facts", "integer", "Number of facts linked to the chain.", True),
            _c("n_highlights", "integer", "Number of qualitative highlights (see statements).", True),
            *_pair("note", "Ambiguity about the chain's name", required=False),
        ),
        _chain_rows,
    ),
    TableSpec(
        "statements",
        "Statements",
        "Qualitative statements of the source: chain highlights and project records.",
        (
            _c("section", "string", "Section of the record the statement belongs to: chains or projects.", True),
            _c("owner_id", "string", "Id of the chain or project.", True),
            _c("kind", "string", "highlight (of a chain) or record (a first or record claimed for a project).", True),
            _c("index", "integer", "Number of the statement within its owner (1 = first).", True),
            *_pair("text", "The statement"),
            SOURCE,
            QUOTE,
        ),
        _statement_rows,
        primary_key=("section", "owner_id", "kind", "index"),
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "bases",
        "Bases",
        "National bases and demonstration zones and their status.",
        (
            ID,
            *_pair("name", "Name of the base"),
            _c("status", "string", "built or under_construction.", True),
            _c("status_as_stated", "string", "The text's words for the status.", True),
            SOURCE,
            QUOTE,
        ),
        _base_rows,
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "documents",
        "Policy documents",
        "Named policy documents, in the order the text mentions them.",
        (
            ID,
            _c("position", "integer", "Order in the source text.", True),
            *_pair("title", "Title of the document"),
            _c("year", "integer", "Year it was issued."),
            _c("year_basis", "string", "stated, or curator when the year is read from the context."),
            *_pair("issuer", "Who issued it"),
            _c("topic", "string", "Dashboard section the document belongs to.", True),
            SOURCE,
            QUOTE,
        ),
        _document_rows,
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "programmes",
        "Programmes",
        "Named programmes, mechanisms, campaigns, measures and strategies.",
        (
            ID,
            *_pair("name", "Name of the programme"),
            _c("kind", "string", "mechanism, programme, campaign, pilot, strategy, measure or brand.", True),
            _c("topic", "string", "Dashboard section the programme belongs to.", True),
            *_pair("description", "What it is, in the curator's words"),
            _c("n_projects", "integer", "Number of projects linked to the programme.", True),
            SOURCE,
            QUOTE,
        ),
        _programme_rows,
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "milestones",
        "Milestones",
        "Qualitative results the text reports.",
        (
            ID,
            *_pair("text", "The milestone"),
            _c("period", "integer", "Year of the milestone, if stated."),
            _c("topic", "string", "Dashboard section the milestone belongs to.", True),
            SOURCE,
            QUOTE,
            *NOTE,
        ),
        _milestone_rows,
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "priorities",
        "Priorities",
        "Tasks the text sets for the new year.",
        (
            ID,
            _c("area", "string", "Livelihood area: employment, health, social_security or culture.", True),
            *_pair("text", "The task"),
            SOURCE,
            QUOTE,
        ),
        _priority_rows,
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "errata",
        "Errata",
        "Defects and ambiguities of the source texts, with the line they are on.",
        (
            ID,
            _c("kind", "string", "cut_passage, displaced_passage, split_word, typo, count_mismatch or ambiguity.", True),
            SOURCE,
            _c("line", "integer", "Line of the source file the passage is on.", True),
            _c("quote", "string", "The passage concerned, verbatim.", True),
            *_pair("description", "What is wrong or unclear, and how the curator read it"),
        ),
        _erratum_rows,
        foreign_keys=(SOURCE_FK,),
    ),
    TableSpec(
        "sources",
        "Sources",
        "The documents the facts are drawn from.",
        (
            ID,
            _c("file", "string", "File name inside the sources folder.", True),
            _c("sha256", "string", "SHA-256 of the file as received.", True),
            *_pair("title", "Title of the document"),
            *_pair("publisher", "Who provided or published the text"),
            _c("kind", "string", "What kind of document it is.", True),
            _c("covers", "integer", "Year the document reports on.", True),
            *_pair("note", "What a reader should know about the text's condition", required=False),
            _c("url", "string", "Where the document was published online, when known."),
            _c("date_published", "date", "Date the document was published, when known."),
            _c("date_accessed", "date", "Date the curator retrieved it, when recorded."),
            _c("citation", "string", "How to cite the document."),
            _c("license", "string", "Terms the document is published under, when known."),
        ),
        _source_rows,
    ),
)

SPECS: dict[str, TableSpec] = {spec.name: spec for spec in TABLES}

_VERSION_FIELDS = (
    _c("fact_base_version", "string", "Version of the fact base the row comes from.", True),
    _c("fact_base_released", "date", "Release date of that version.", True),
)
VERSION_COLUMNS = tuple(column.name for column in _VERSION_FIELDS)


def columns(table: str) -> tuple[Column, ...]:
    """Every column of a table, the version columns last."""
    return (*SPECS[table].columns, *_VERSION_FIELDS)


# --------------------------------------------------------------------------- tables


def version_columns(base: FactBase) -> dict[str, str]:
    """The version columns every exported row carries, with this fact base's values."""
    return dict(zip(VERSION_COLUMNS, (base.meta.version, base.meta.released.isoformat()),
                    strict=True))


def tables(base: FactBase) -> dict[str, pd.DataFrame]:
    """Every exported table, in a fixed order, as DataFrames with nullable dtypes."""
    version = version_columns(base)
    out: dict[str, pd.DataFrame] = {}
    for spec in TABLES:
        cols = columns(spec.name)
        names = [c.name for c in cols]
        rows = [
            {**row, **version}
            for row in spec.rows(base)
        ]
        for row in rows:
            if list(row) != names:  # a programming error, caught by the tests
                raise AssertionError(f"{spec.name}: row keys {list(row)} != columns {names}")
        frame = pd.DataFrame.from_records(rows, columns=names)
        out[spec.name] = frame.astype({c.name: _DTYPES[c.type] for c in cols})
    return out


def _plain(value):
    """A JSON-ready Python value from a pandas cell."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 2**53 else value
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    """A table as a list of plain dicts (missing values are None)."""
    names = list(frame.columns)
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _csv_text(frame: pd.DataFrame) -> str:
    frame = frame.copy()
    for name in frame.columns:
        dtype = frame[name].dtype
        if isinstance(dtype, pd.BooleanDtype):
            frame[name] = frame[name].map({True: "true", False: "false"}, na_action="ignore")
        elif isinstance(dtype, pd.Float64Dtype):
            # 170000 rather than 170000.0; fractions as Python writes them.
            frame[name] = frame[name].astype(object).map(
                lambda v: "" if v is pd.NA else repr(_plain(v)), na_action=None
            )
    return frame.to_csv(index=False, lineterminator="\n", na_rep="")


def csv_files(base: FactBase) -> dict[str, str]:
    """File name -> CSV text of every table."""
    return {f"{name}.csv": _csv_text(frame) for name, frame in tables(base).items()}


def write_csv(base: FactBase, outdir: str | Path) -> list[Path]:
    """Write one plain UTF-8 CSV (no BOM) per table; returns the paths written."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in csv_files(base).items():
        path = outdir / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    return written


def meta_dict(base: FactBase) -> dict:
    """The fact base's meta section as JSON-ready data."""
    return base.meta.model_dump(mode="json")


def json_document(base: FactBase) -> dict:
    """The meta section and every table as lists of records."""
    return {"meta": meta_dict(base), **{n: records(f) for n, f in tables(base).items()}}


def json_text(base: FactBase) -> str:
    """facts.json as text."""
    return json.dumps(json_document(base), ensure_ascii=False, indent=2) + "\n"


def json_bytes(base: FactBase) -> bytes:
    """facts.json as UTF-8 bytes (the dashboard's JSON download)."""
    return json_text(base).encode("utf-8")


def write_json(base: FactBase, outdir: str | Path) -> Path:
    """Write facts.json (meta plus every table as records); returns its path."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / JSON_FILE
    path.write_text(json_text(base), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- data package


def descriptor(base: FactBase) -> dict:
    """The datapackage.json descriptor (Frictionless Data Package v1, tabular)."""
    meta = base.meta
    url, title = _LICENSES.get(meta.license, (None, meta.license))
    license_ = {"name": meta.license, "title": title}
    if url:
        license_["path"] = url
    resources = []
    for spec in TABLES:
        schema: dict = {
            "fields": [
                {
                    "name": c.name,
                    "type": c.type,
                    "description": c.description,
                    **({"constraints": {"required": True}} if c.required else {}),
                }
                for c in columns(spec.name)
            ],
            "primaryKey": list(spec.primary_key),
            "missingValues": [""],
        }
        if spec.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": col, "reference": {"resource": table, "fields": ref}}
                for col, table, ref in spec.foreign_keys
            ]
        resources.append(
            {
                "profile": "tabular-data-resource",
                "name": spec.name,
                "path": f"{spec.name}.csv",
                "title": spec.title,
                "description": spec.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"{meta.title.en} / {meta.title.zh}",
        "description": description(base),
        "version": meta.version,
        # The release date, so the same version always yields the same package.
        "created": f"{meta.released.isoformat()}T00:00:00Z",
        "licenses": [license_],
        "contributors": [{"title": meta.curator, "role": "author"}],
        "sources": [_package_source(s) for s in base.sources],
        "keywords": keywords(base),
        "resources": resources,
    }


# Words of the package's keywords that are the region's, whatever the year and the sources.
REGION_KEYWORDS = ("Haixi", "Qinghai", "Qaidam", "economy")


def keywords(base: FactBase) -> list[str]:
    """The data package's keywords: the region's, every period the figures describe, and the
    `kind` of every source, all from the data."""
    kinds = dict.fromkeys(source.kind.value for source in base.sources)
    return [*REGION_KEYWORDS, *(str(year) for year in periods(base)), *kinds]


def description(base: FactBase) -> str:
    """The data package's description: region, periods and every source, from the data."""
    meta = base.meta
    count = len(base.sources)
    sources = "; ".join(f"{s.title.en} by {s.publisher.en}, on {s.covers}" for s in base.sources)
    note = meta.translation_note.en.strip()
    if not note.endswith((".", "!", "?")):
        note += "."
    return (
        f"{meta.region.en}: figures for {periods_text(periods(base))} from "
        f"{count} source{'s' if count != 1 else ''}: {sources}. {note} "
        "Every row carries the verbatim quote of the source clause that backs it; readings of "
        "one measure by several sources or periods are summed up in the measures table."
    )


def _package_source(source) -> dict:
    """One entry of the descriptor's sources: its title, and its address when known."""
    entry = {"title": f"{source.title.zh} ({source.title.en}); {source.publisher.en}; "
                      f"file {source.file}"}
    if source.url:
        entry["path"] = source.url
    return entry


def descriptor_text(base: FactBase) -> str:
    """datapackage.json as text."""
    return json.dumps(descriptor(base), ensure_ascii=False, indent=2) + "\n"


def write_datapackage(base: FactBase, outdir: str | Path) -> Path:
    """Write every table as CSV plus datapackage.json; returns the descriptor's path."""
    outdir = Path(outdir)
    write_csv(base, outdir)
    path = outdir / DESCRIPTOR_FILE
    path.write_text(descriptor_text(base), encoding="utf-8")
    return path


def datapackage_zip_bytes(base: FactBase) -> bytes:
    """The data package (datapackage.json and the CSVs) as a zip, byte-identical per version."""
    buffer = io.BytesIO()
    stamp = (*base.meta.released.timetuple()[:3], 0, 0, 0)
    files = {DESCRIPTOR_FILE: descriptor_text(base), **csv_files(base)}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
