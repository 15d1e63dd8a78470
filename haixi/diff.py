"""Differences between two versions of the fact base: the changelog of its figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, get_args

from pydantic import BaseModel

from haixi.i18n import N_, check_lang, t
from haixi.schema import (
    RECORD_SECTIONS,
    Examined,
    Fact,
    FactBase,
    Output,
    Project,
    Quantity,
    Quote,
    Source,
    record_label,
)
from haixi.schema import SECTIONS as SCHEMA_SECTIONS


def _states_figures(annotation, seen: tuple = ()) -> bool:
    """Whether a model (or a list, an optional, ... of models) can hold a Quantity."""
    if annotation is Quantity:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation not in seen and any(
            _states_figures(field.annotation, (*seen, annotation))
            for field in annotation.model_fields.values()
        )
    return any(_states_figures(arg, seen) for arg in get_args(annotation))


# Record sections in the order a diff reports them, derived from schema.SECTIONS: this is the
# changelog of the figures, so the sections whose records state figures (facts, projects) come
# first, then the other record sections, then the sources they cite, each in the schema's order.
# `meta` is compared last, as one record.
SECTIONS = (
    *sorted(
        RECORD_SECTIONS,
        key=lambda section: not _states_figures(FactBase.model_fields[section].annotation),
    ),
    *(section for section in SCHEMA_SECTIONS if section not in RECORD_SECTIONS),
)
META = "meta"
# Sections that hold no records but choices about them, each compared after the records:
# `display` as one record of dotted fields, `examined` entry by entry, keyed by measure and period.
DISPLAY = "display"
EXAMINED = "examined"
REPORTED = (*SECTIONS, DISPLAY, EXAMINED, META)

# Meta fields compared as a record; version and released are reported on their own.
META_FIELDS = ("title", "region", "curator", "license", "translation_note")
QUANTITY_FIELDS = ("value", "unit", "stated", "qualifier", "qualifier_phrase")

ARROW = " → "


# --------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Change:
    """One field of a record with its old and new value (JSON-ready: str, number, list, dict)."""

    field: str
    old: Any
    new: Any

    def to_json(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Entry:
    """A record added or removed: its section, id, label, stated figure and quote; a fact's
    measure, period and source (the reading it is); a source's period (the year it covers)."""

    section: str
    id: str
    label: dict | None = None
    stated: str | None = None
    quote: str | None = None
    measure: str | None = None
    period: int | None = None
    source: str | None = None

    def to_json(self) -> dict:
        return {
            "section": self.section,
            "id": self.id,
            "label": self.label,
            "stated": self.stated,
            "quote": self.quote,
            "measure": self.measure,
            "period": self.period,
            "source": self.source,
        }


@dataclass(frozen=True)
class Changed:
    """A record present in both versions whose fields differ; `quote` is the new quote."""

    section: str
    id: str
    changes: tuple[Change, ...]
    quote: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """Names of the changed fields, in order."""
        return tuple(c.field for c in self.changes)

    def change(self, name: str) -> Change:
        """The change of this field; KeyError if the field did not change."""
        for change in self.changes:
            if change.field == name:
                return change
        raise KeyError(name)

    def to_json(self) -> dict:
        return {
            "section": self.section,
            "id": self.id,
            "changes": [c.to_json() for c in self.changes],
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Diff:
    """What changed from one fact base to another, section by section (see `SECTIONS`)."""

    old_version: str
    new_version: str
    old_released: str
    new_released: str
    added: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()
    changed: tuple[Changed, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing differs, version and release date included."""
        return (
            not self.added
            and not self.removed
            and not self.changed
            and self.old_version == self.new_version
            and self.old_released == self.new_released
        )

    def to_json(self) -> dict:
        """The diff as plain JSON data.

        Shape (stable)::

            {"old_version": "1.0.0", "new_version": "1.1.0",
             "old_released": "2026-11-28", "new_released": "2027-01-15",
             "added":   [{"section", "id", "label": {"zh", "en"} | null,
                          "stated": str | null, "quote": str | null,
                          "measure": str | null, "period": int | null,
                          "source": str | null}],
             "removed": [same shape as added, describing the old record],
             "changed": [{"section", "id", "changes": [{"field", "old", "new"}],
                          "quote": the new quote | null}]}

        Lists follow the section order of `REPORTED` (the record sections, then display,
        examined and meta), and within a section the order of the file (the new file for added
        and changed, the old one for removed). Facts are readings, matched by measure, period
        and source (see `diff`): an added fact has its measure, period and source, an added
        source its period (the year it covers); other entries have null there. Field names of
        facts: id (when a reading's id changed), label, value, unit, stated, qualifier,
        qualifier_phrase, period, topic, chain, headline, measure (the measure it reads),
        preferred, preferred_note, quote, source, note. Projects' capacities are
        `capacity[<product.zh>].value` (and .unit, .stated, .qualifier, .qualifier_phrase);
        `capacity[<product.zh>]` when a capacity appears or disappears, `output[<product.zh>]`
        when an output does, `output[<product.zh>].product` when its English name changes.
        Other fields carry the model's field name; `quote` and `source` split a quote.
        `display` is one record (id "display") whose fields are dotted paths such as
        `highlights.economy` or `charts.income_growth.urban`; an `examined` entry's id is
        "<measure> <period>" and its field `note`.
        """
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "old_released": self.old_released,
            "new_released": self.new_released,
            "added": [e.to_json() for e in self.added],
            "removed": [e.to_json() for e in self.removed],
            "changed": [c.to_json() for c in self.changed],
        }

    def lines(self, lang: str = "en") -> list[str]:
        """The diff in plain words, one line per record (see `to_text`)."""
        check_lang(lang)
        if self.is_empty:
            return [t("diff.none", lang)]
        out = []
        if self.old_version != self.new_version:
            out.append(t("diff.version", lang) + f" {self.old_version}{ARROW}{self.new_version}")
        if self.old_released != self.new_released:
            out.append(t("diff.released", lang) + f" {self.old_released}{ARROW}{self.new_released}")
        for section in REPORTED:
            for entry in self.added:
                if entry.section == section:
                    out.append(t("diff.added", lang) + f" {describe_entry(entry, lang)}")
            for entry in self.removed:
                if entry.section == section:
                    out.append(t("diff.removed", lang) + f" {describe_removed(entry, lang)}")
            for record in self.changed:
                if record.section == section:
                    out.append(t("diff.changed", lang) + f" {describe_changed(record, lang)}")
        return out

    def to_text(self, lang: str = "en") -> str:
        """Plain words, one line per record, e.g.

        ``changed fact per-capita-gdp: value 170000 → 180000 (stated 17万元 → 18万元);
        quote: 人均GDP达到18万元``, ``added fact x: <label> = <stated> ("<quote>")``,
        ``removed project y``; "no differences" when the two are equal. `lang` ("en" or
        "zh") chooses the words and which language of labels is shown.
        """
        return "\n".join(self.lines(lang))


def diff(old: FactBase, new: FactBase) -> Diff:
    """Records added, removed and changed from `old` to `new`.

    Facts are readings, matched by measure, period and source (`reading_key`): a reading of a
    new period or by a new source is added, never a correction of an older one, whatever its
    id; a changed value of the same reading is a change. A fact that kept its id, period and
    source but now reads another measure is a change of its `measure`. Every other record is
    matched by id; `display` and `examined` are compared after them, `meta` last.
    """
    added: list[Entry] = []
    removed: list[Entry] = []
    changed: list[Changed] = []
    for section in SECTIONS:
        pairs, gone = _match(section, getattr(old, section), getattr(new, section))
        for before, record in pairs:
            if before is None:
                added.append(_entry(section, record))
                continue
            changes = compare(section, before, record)
            if before.id != record.id:
                changes = [Change("id", before.id, record.id), *changes]
            if changes:
                quote = _quote(record)
                changed.append(
                    Changed(section, record.id, tuple(changes), quote.quote if quote else None)
                )
        removed.extend(_entry(section, record) for record in gone)
    display_changes = _compare_display(old, new)
    if display_changes:
        changed.append(Changed(DISPLAY, DISPLAY, tuple(display_changes), None))
    _diff_examined(old, new, added, removed, changed)
    meta_changes = _compare_fields(old.meta, new.meta, META_FIELDS)
    if meta_changes:
        changed.append(Changed(META, META, tuple(meta_changes), None))
    return Diff(
        old_version=old.meta.version,
        new_version=new.meta.version,
        old_released=old.meta.released.isoformat(),
        new_released=new.meta.released.isoformat(),
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
    )


def reading_key(fact: Fact) -> tuple[str, int, str]:
    """What a reading is: (measure, period, source); one per fact in a valid fact base."""
    return (fact.measure_id, fact.period, fact.source.source)


def _match(section: str, old: Sequence[BaseModel], new: Sequence[BaseModel]):
    """([(old record or None, new record)] in the new file's order, [old records left over])."""
    if section != "facts":
        by_id = {r.id: r for r in old}
        ids = {r.id for r in new}
        return [(by_id.get(r.id), r) for r in new], [r for r in old if r.id not in ids]
    by_key = {reading_key(f): f for f in old}
    pairs = [(by_key.get(reading_key(f)), f) for f in new]
    used = {id(before) for before, _ in pairs if before is not None}
    # A fact that kept its id, period and source but reads another measure is the same reading.
    left = {(f.id, f.period, f.source.source): f for f in old if id(f) not in used}
    for index, (before, fact) in enumerate(pairs):
        if before is None:
            same = left.pop((fact.id, fact.period, fact.source.source), None)
            if same is not None:
                pairs[index] = (same, fact)
                used.add(id(same))
    return pairs, [f for f in old if id(f) not in used]


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A nested dict as {dotted path: leaf}; an empty dict or None is one leaf."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): value}


def _compare_display(old: FactBase, new: FactBase) -> list[Change]:
    """The display choices that differ, by dotted path (a chart added or dropped is one path)."""
    before, after = _flat(plain(old.display)), _flat(plain(new.display))
    changes = []
    for path in dict.fromkeys([*after, *before]):
        changes.extend(_one(path, before.get(path), after.get(path)))
    return changes


def _examined_id(entry: Examined) -> str:
    return f"{entry.measure} {entry.period}"


def _diff_examined(
    old: FactBase, new: FactBase, added: list, removed: list, changed: list
) -> None:
    """Examined discrepancies added, removed, or whose note changed, keyed by measure and period."""
    before = {_examined_id(e): e for e in old.examined}
    after = {_examined_id(e): e for e in new.examined}
    for ident, entry in after.items():
        if ident not in before:
            added.append(Entry(EXAMINED, ident, plain(entry.note), measure=entry.measure,
                               period=entry.period))
            continue
        changes = _one("note", before[ident].note, entry.note)
        if changes:
            changed.append(Changed(EXAMINED, ident, tuple(changes), None))
    for ident, entry in before.items():
        if ident not in after:
            removed.append(Entry(EXAMINED, ident, plain(entry.note), measure=entry.measure,
                                 period=entry.period))


# --------------------------------------------------------------------------- comparing records


def compare(section: str, old: BaseModel, new: BaseModel) -> list[Change]:
    """The changed fields of one record (same id) between two versions."""
    if isinstance(old, Project) and isinstance(new, Project):
        return _compare_project(old, new)
    names = [n for n in type(new).model_fields if n != "id"]
    return _compare_fields(old, new, names)


def _compare_fields(old: BaseModel, new: BaseModel, names: Sequence[str]) -> list[Change]:
    changes: list[Change] = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if isinstance(a, Quote) and isinstance(b, Quote):
            changes.extend(_compare_quote(a, b))
        elif isinstance(old, Fact) and isinstance(new, Fact) and name == "measure":
            changes.extend(_one(name, old.measure_id, new.measure_id))
        elif isinstance(old, Fact) and name == "quantity":
            changes.extend(_compare_quantity(a, b, ""))
        else:
            changes.extend(_one(name, a, b))
    return changes


def _compare_quote(old: Quote, new: Quote) -> list[Change]:
    return [*_one("quote", old.quote, new.quote), *_one("source", old.source, new.source)]


def _compare_quantity(old: Quantity, new: Quantity, prefix: str) -> list[Change]:
    changes: list[Change] = []
    for name in QUANTITY_FIELDS:
        changes.extend(_one(prefix + name, getattr(old, name), getattr(new, name)))
    return changes


def _compare_project(old: Project, new: Project) -> list[Change]:
    changes: list[Change] = []
    for name in type(new).model_fields:
        if name == "id":
            continue
        if name == "outputs":
            changes.extend(_compare_outputs(old.outputs, new.outputs))
        elif name == "source":
            changes.extend(_compare_quote(old.source, new.source))
        else:
            changes.extend(_one(name, getattr(old, name), getattr(new, name)))
    return changes


def _output_keys(outputs: Sequence[Output]) -> dict[str, Output]:
    """Outputs keyed by product.zh; a repeated product gets "#2", "#3", ..."""
    keyed: dict[str, Output] = {}
    for output in outputs:
        key = output.product.zh
        n = 1
        while key in keyed:
            n += 1
            key = f"{output.product.zh}#{n}"
        keyed[key] = output
    return keyed


def _compare_outputs(old: Sequence[Output], new: Sequence[Output]) -> list[Change]:
    old_keyed, new_keyed = _output_keys(old), _output_keys(new)
    changes: list[Change] = []
    for key, output in new_keyed.items():
        before = old_keyed.get(key)
        if before is None:
            changes.append(Change(f"output[{key}]", None, plain(output)))
            continue
        changes.extend(_one(f"output[{key}].product", before.product, output.product))
        if before.capacity is not None and output.capacity is not None:
            changes.extend(_compare_quantity(before.capacity, output.capacity, f"capacity[{key}]."))
        else:
            changes.extend(_one(f"capacity[{key}]", before.capacity, output.capacity))
    for key, output in old_keyed.items():
        if key not in new_keyed:
            changes.append(Change(f"output[{key}]", plain(output), None))
    return changes


def _one(name: str, old: Any, new: Any) -> list[Change]:
    a, b = plain(old), plain(new)
    return [] if a == b else [Change(name, a, b)]


def plain(value: Any) -> Any:
    """A value as plain JSON data: models as dicts, enums and dates as strings, 1.0 as 1."""
    if isinstance(value, BaseModel):
        return {k: plain(v) for k, v in value.model_dump(mode="python", by_alias=True).items()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _quote(record: BaseModel) -> Quote | None:
    quote = getattr(record, "source", None)
    return quote if isinstance(quote, Quote) else None


def _entry(section: str, record: BaseModel) -> Entry:
    label = plain(record_label(record))
    quote = _quote(record)
    entry = Entry(section, record.id, label, None, quote.quote if quote else None)
    if isinstance(record, Fact):
        measure, period, source = reading_key(record)
        return replace(entry, stated=record.quantity.stated, measure=measure, period=period,
                       source=source)
    if isinstance(record, Source):
        return replace(entry, period=record.covers)
    return entry


# --------------------------------------------------------------------------- words


# One record of each section, in words; marked for pybabel.
_ONE_RECORD = {
    "facts": N_("section_one.facts"),
    "projects": N_("section_one.projects"),
    "chains": N_("section_one.chains"),
    "bases": N_("section_one.bases"),
    "documents": N_("section_one.documents"),
    "programmes": N_("section_one.programmes"),
    "milestones": N_("section_one.milestones"),
    "priorities": N_("section_one.priorities"),
    "errata": N_("section_one.errata"),
    "sources": N_("section_one.sources"),
    "meta": N_("section_one.meta"),
}


def _name(section: str, ident: str, lang: str) -> str:
    """One record in words: "fact x", "项目 y"; just "meta" and "display" for those records.

    `display` and `examined` are named by their key in the fact file, in both languages.
    """
    if section in (DISPLAY, EXAMINED):
        return section if section == DISPLAY else f"{section} {ident}"
    singular = t(_ONE_RECORD[section], lang)
    return singular if section == META else f"{singular} {ident}"


def show(value: Any, lang: str = "en") -> str:
    """A plain value in words: numbers without a trailing .0, "zh / en" for bilingual text."""
    if value is None:
        return t("diff.nothing", lang)
    if isinstance(value, bool):
        return t("diff.yes", lang) if value else t("diff.no", lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, dict):
        if set(value) == {"zh", "en"}:
            return f"{value['zh']} / {value['en']}"
        if {"value", "unit", "stated"} <= set(value):
            return f"{show(value['value'])} {value['unit']} ({value['stated']})"
        if "product" in value:
            product = show(value["product"], lang)
            capacity = value.get("capacity")
            return product if capacity is None else f"{product}: {show(capacity, lang)}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(value) + "]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _label(label: dict | None, lang: str) -> str | None:
    if not label:
        return None
    return label.get(lang) or label.get("en") or label.get("zh")


def describe_entry(entry: Entry, lang: str = "en") -> str:
    """An added record in words: `fact x: <label> = <stated> ("<quote>")`; a fact as the
    reading it is (`fact x: 2021 reading of <label> (measure m, source s) = ...`), a source
    with its period (`source s: <title> (2021)`)."""
    text = _name(entry.section, entry.id, lang)
    label = _label(entry.label, lang)
    if entry.section == "facts" and entry.period is not None:
        label = t("diff.reading", lang, period=entry.period, label=label or entry.id,
                  measure=entry.measure, source=entry.source)
    elif entry.section == "sources" and entry.period is not None:
        label = f"{label} (" + t("label.period", lang, year=entry.period) + ")"
    details = []
    if label:
        details.append(label if entry.stated is None else f"{label} = {entry.stated}")
    elif entry.stated is not None:
        details.append(entry.stated)
    if entry.quote:
        details.append(f'("{entry.quote}")')
    return f"{text}: {' '.join(details)}" if details else text


def describe_removed(entry: Entry, lang: str = "en") -> str:
    """A removed record in words: `project y`; a fact with the reading it was (`fact x: 2022
    reading of <label> (measure m, source s)`), since its id may now name another reading."""
    text = _name(entry.section, entry.id, lang)
    if entry.section != "facts" or entry.period is None:
        return text
    reading = t("diff.reading", lang, period=entry.period,
                label=_label(entry.label, lang) or entry.id, measure=entry.measure,
                source=entry.source)
    return f"{text}: {reading}"


def _change_parts(record: Changed, lang: str) -> Iterator[str]:
    by_field = {c.field: c for c in record.changes}
    for change in record.changes:
        name = change.field
        if name == "quote" or (name.endswith("stated") and _value_field(name) in by_field):
            continue  # the quote goes last; a stated figure goes with its value
        text = f"{name} {show(change.old, lang)}{ARROW}{show(change.new, lang)}"
        stated = by_field.get(_stated_field(name)) if _is_value_field(name) else None
        if stated is not None:
            text += " (" + t("diff.stated", lang) + f" {stated.old}{ARROW}{stated.new})"
        yield text


def _is_value_field(name: str) -> bool:
    return name == "value" or name.endswith("].value")


def _stated_field(value_field: str) -> str:
    return value_field[: -len("value")] + "stated"


def _value_field(stated_field: str) -> str:
    return stated_field[: -len("stated")] + "value"


def describe_changed(record: Changed, lang: str = "en") -> str:
    """A changed record in words, its fields joined by "; ", ending with the new quote."""
    parts = list(_change_parts(record, lang))
    quote_change = next((c for c in record.changes if c.field == "quote"), None)
    if quote_change is not None and not parts:
        parts.append(t("diff.quote", lang) + f" {quote_change.old}{ARROW}{quote_change.new}")
    elif record.quote is not None:
        parts.append(t("diff.quote", lang) + f": {record.quote}")
    return f"{_name(record.section, record.id, lang)}: {'; '.join(parts)}"


def changelog_section(diff: Diff) -> str:
    """A Markdown section for CHANGELOG.md: `## <version> — <released>` and what changed."""
    out = [f"## {diff.new_version} — {diff.new_released}", ""]
    if diff.old_version != diff.new_version or diff.old_released != diff.new_released:
        out += [f"Changes from {diff.old_version} ({diff.old_released}).", ""]
    groups = (
        ("Added", [describe_entry(e) for e in _ordered(diff.added)]),
        ("Changed", [describe_changed(c) for c in _ordered(diff.changed)]),
        ("Removed", [describe_removed(e) for e in _ordered(diff.removed)]),
    )
    if not any(items for _, items in groups):
        out += ["No changes to the records.", ""]
    for title, items in groups:
        if items:
            out += [f"### {title}", "", *(f"- {item}" for item in items), ""]
    return "\n".join(out)


def _ordered(records):
    order = {s: i for i, s in enumerate(REPORTED)}
    return sorted(records, key=lambda r: order[r.section])
