"""The record a ?fact= permalink opens, pinned above the Sources page."""

from __future__ import annotations

from dataclasses import dataclass

from haixi.i18n import enum_label, pick, t
from haixi.schema import (
    Fact,
    FactBase,
    all_quotes,
    record_label,
)
from haixi.views.blocks import (
    Citation,
    Figure,
    Notice,
    PageView,
    Pinned,
    Request,
    citation,
    figure,
)


@dataclass(frozen=True)
class RecordDetail:
    """The record a ?fact= permalink opens: its id, label, figure and every quote."""

    id: str
    label: str
    figure: Figure | None
    details: tuple[str, ...]
    citations: tuple[Citation, ...]
    note: str = ""
    # The quote whose passage the panel links to on the text page: the first placed one (a
    # line in a source at hand), in its own source; None when no quote is placed.
    passage: Citation | None = None


def record_detail(base: FactBase, lang: str, record_id: str) -> RecordDetail | None:
    """The permalink's record, or None when the fact base has no record of that id."""
    record = base.by_id(record_id)
    if record is None:
        return None
    label = pick(record_label(record), lang) if record_label(record) else ""
    fig = figure(base, lang, record) if isinstance(record, Fact) else None
    details: tuple[str, ...] = ()
    if isinstance(record, Fact):
        details = (
            t("col.stated", lang) + " " + record.quantity.stated,
            enum_label(record.quantity.qualifier, lang),
            t("label.period", lang, year=record.period),
            enum_label(record.topic, lang),
        )
    quotes = [q for rid, _path, q in all_quotes(base) if rid == record.id] or (
        [record.source] if hasattr(record, "source") else []
    )
    note = getattr(record, "note", None)
    cited = tuple(citation(base, lang, record.id, label, q) for q in quotes)
    return RecordDetail(
        record.id,
        label,
        fig,
        details,
        cited,
        pick(note, lang) if note else "",
        next((c for c in cited if c.line and c.source_id), None),
    )


def pinned(base: FactBase, lang: str, request: Request, page: PageView) -> Pinned:
    """What a ?fact= permalink pins above the page: its record's panel, or the notice that the
    fact base has no record of that id; nothing without ?fact=."""
    if request.fact is None:
        return Pinned()
    detail = record_detail(base, lang, request.fact)
    if detail is None:
        return Pinned((Notice(t("notice.unknown_fact", lang)),))
    return Pinned((detail,))


