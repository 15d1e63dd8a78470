"""The Sources and method page: the sources, method, errata, every record, downloads."""

from __future__ import annotations

import pandas as pd

from haixi import charts as charts_mod
from haixi import measures
from haixi.formatting import format_quantity
from haixi.i18n import N_, enum_label, nt, pick, t
from haixi.paths import sources_dir
from haixi.schema import (
    RECORD_SECTIONS,
    Fact,
    FactBase,
    Qualifier,
    Topic,
    record_label,
)
from haixi.views.blocks import (
    Card,
    Cards,
    Downloads,
    Facet,
    FilteredTable,
    Group,
    PageView,
    Table,
    Text,
    chart_block,
    citation,
    keep,
    originals,
    page_title,
    quote_line,
    section,
    source_title,
    source_titles,
    year_text,
)

# The sections of the "every record with its quote" table.
TABLE_SECTIONS = tuple(s for s in RECORD_SECTIONS if s not in ("chains", "errata"))
# The record table's "section" column, marked for pybabel.
_SECTION_NAMES = {
    "facts": N_("section.facts"),
    "projects": N_("section.projects"),
    "bases": N_("section.bases"),
    "documents": N_("section.documents"),
    "programmes": N_("section.programmes"),
    "milestones": N_("section.milestones"),
    "priorities": N_("section.priorities"),
}
# The filters of the every-record table, in order: (URL parameter, column key).
RECORD_FILTERS = (
    ("topic", "col.topic"),
    ("measure", N_("col.measure")),
    ("period", "col.period"),
    ("source", "col.source"),
)
# The URL parameters the page reads (besides lang, fact and tab), and those that may repeat.
PARAMS = ("q", *(p for p, _ in RECORD_FILTERS))
MULTI_PARAMS = tuple(p for p, _ in RECORD_FILTERS)


def record_table(base: FactBase, lang: str) -> FilteredTable:
    """Every record with its quote, searchable and filterable by topic, measure (a figure's),
    period and source."""
    rows, facets, ids, cites = [], [], [], {}
    keys = ("col.id", "col.section", "col.label", "col.value", "col.measure", "col.period",
            "col.topic", "col.source", "col.quote")
    titles = {s.id: pick(s.title, lang) for s in base.sources}
    for name in TABLE_SECTIONS:
        for record in getattr(base, name):
            label = pick(record_label(record), lang)
            topic = getattr(record, "topic", None) or getattr(record, "area", None)
            measure = record.measure_id if isinstance(record, Fact) else ""
            period = getattr(record, "period", None) or getattr(record, "year", None)
            source = record.source.source
            rows.append(
                [
                    record.id,
                    t(_SECTION_NAMES[name], lang),
                    label,
                    format_quantity(record.quantity, lang) if isinstance(record, Fact) else "",
                    measure,
                    str(period) if period else "",
                    enum_label(topic, lang) if topic else "",
                    titles.get(source, source),
                    record.source.quote,
                ]
            )
            facets.append({
                "topic": frozenset([topic.value] if isinstance(topic, Topic) else []),
                "measure": frozenset([measure] if measure else []),
                "period": frozenset([str(period)] if period else []),
                "source": frozenset([source]),
            })
            ids.append(record.id)
            cites.setdefault(record.id, citation(base, lang, record.id, label, record.source))
    present = {param: {v for f in facets for v in f[param]} for param, _ in RECORD_FILTERS}
    labels = {
        "topic": [(tp.value, enum_label(tp, lang)) for tp in Topic if tp.value in present["topic"]],
        "measure": [(m, pick(base.by_id(m).label, lang) if base.by_id(m) else m)
                    for m in dict.fromkeys(f.measure_id for f in base.facts)],
        "period": [(p, year_text(int(p), lang)) for p in sorted(present["period"])],
        "source": [(s.id, titles[s.id]) for s in base.sources if s.id in present["source"]],
    }
    return FilteredTable(
        key="records-table",
        title_key=N_("sources.showing"),
        help="",
        facets=tuple(Facet(param, t(key, lang), tuple(labels[param]))
                     for param, key in RECORD_FILTERS),
        frame=pd.DataFrame(rows, columns=[t(k, lang) for k in keys], dtype=object),
        row_facets=tuple(facets),
        row_records=tuple(ids),
        citations=cites,
        search=t("sources.search", lang),
        csv="records",  # its own CSV, of the rows the filters leave, like the projects table
        total=len(rows),
        originals=(t("col.quote", lang),),
    )


# What each qualifier means, for the method section's table; marked for pybabel.
_QUALIFIER_HELP = {
    Qualifier.exact: N_("qualifier_help.exact"),
    Qualifier.at_least: N_("qualifier_help.at_least"),
    Qualifier.more_than: N_("qualifier_help.more_than"),
    Qualifier.nearly: N_("qualifier_help.nearly"),
    Qualifier.approximate: N_("qualifier_help.approximate"),
}


def view(base: FactBase, lang: str) -> PageView:
    """The sources, how to cite, the method, the errata, every record, the downloads."""
    source_cards = []
    for source in base.sources:
        lines = []
        lines.append(
            " · ".join(
                [
                    pick(source.publisher, lang),
                    enum_label(source.kind, lang),
                    t("label.period", lang, year=source.covers),
                    source.file,
                    "sha256 " + source.sha256,
                ]
            )
        )
        if source.note:
            lines.append(pick(source.note, lang))
        source_cards.append(
            Card(
                source.id, pick(source.title, lang), tuple(lines), None,
                original="《" + source.title.zh + "》" if lang == "en" else "",
            )
        )
    meta = base.meta
    qualifiers = pd.DataFrame(
        [
            {
                t("col.qualifier", lang): enum_label(q, lang),
                t("col.description", lang): t(_QUALIFIER_HELP[q], lang),
            }
            for q in Qualifier
        ]
    )
    errata = pd.DataFrame(
        [
            {
                t("col.id", lang): e.id,
                t("col.kind", lang): enum_label(e.kind, lang),
                t("col.line", lang): e.line,
                t("col.description", lang): pick(e.description, lang),
                t("col.quote", lang): e.source.quote,
            }
            for e in base.errata
        ],
        columns=[t(k, lang) for k in ("col.id", "col.kind", "col.line", "col.description", "col.quote")],
    )
    return PageView(
        "sources",
        page_title("sources", lang),
        "",
        keep(
            [
                section(
                    "sources",
                    t("sources.sources", lang),
                    Cards(tuple(source_cards), 1),
                    Text(
                        t("sources.version", lang, version=meta.version,
                          released=meta.released.isoformat())
                    ),
                    Text(citation_text(base, lang), "box", t("sources.how_to_cite", lang)),
                ),
                section("discrepancies", t("sources.discrepancies", lang),
                        discrepancy_blocks(base, lang)),
                section("coverage", t("coverage.title", lang), *coverage_blocks(base, lang)),
                section(
                    "method",
                    t("sources.method", lang),
                    Text(t("sources.method_text", lang)),
                    Text(pick(meta.translation_note, lang)),
                    Table("qualifiers", qualifiers),
                ),
                section(
                    "errata",
                    t("sources.errata", lang, n=len(base.errata)),
                    chart_block(base, lang, charts_mod.errata_by_kind, "errata"),
                    Table(
                        "errata-table", errata, grid=True, originals=originals(lang, errata),
                        ids=tuple(e.id for e in base.errata),
                    ),
                ),
                section("records", t("sources.all_records", lang), record_table(base, lang)),
                section("downloads", t("sources.downloads", lang), Downloads(),
                        help=t("sources.downloads_help", lang)),
            ]
        ),
    )


def discrepancy_blocks(base: FactBase, lang: str) -> tuple:
    """Every discrepancy (haixi.measures.discrepancies): a card each, with both readings'
    values, sources, quotes and lines, and whether the curator examined it; nothing when the
    sources agree."""
    found = measures.discrepancies(base)
    if not found:
        return ()
    cards = []
    for d in found:
        lines = []
        for r in d.readings:
            line = quote_line(base, r.source)
            lines.append(t(
                "sources.discrepancy.reading", lang,
                source=source_title(base.source(r.source.source), lang),
                value=format_quantity(r.quantity, lang), quote=r.source.quote,
                where=t("cite.line", lang, line=line) if line else "",
            ).rstrip(" ·"))
        lines.append(
            t("sources.discrepancy.examined", lang, note=pick(d.examined.note, lang))
            if d.examined is not None
            else t("sources.discrepancy.not_examined", lang)
        )
        label = pick(d.readings[0].label, lang)
        cards.append(Card(
            f"discrepancy-{d.measure}-{d.period}",
            t("sources.discrepancy.title", lang, label=label, period=year_text(d.period, lang)),
            tuple(lines),
            None,
        ))
    intro = nt("sources.discrepancies.intro", "sources.discrepancies.intro.plural", len(found),
               lang)
    return (Text(intro), Cards(tuple(cards), 1))


def coverage_blocks(base: FactBase, lang: str) -> tuple:
    """The account of every number in the sources: one line, and the list behind it."""
    from haixi import coverage

    account = coverage.account(base, sources_dir(), lang)
    rows = [
        {
            t("col.number", lang): n.phrase.text,
            t("col.source", lang): n.phrase.source,
            t("col.line", lang): n.phrase.line,
            t("col.status", lang): coverage.status_label(n.status, lang),
            t("col.records", lang): ", ".join(n.records),
            t("col.reason", lang): pick(n.reason, lang) if n.reason else "",
        }
        for n in account.numbers
    ]
    keys = ("col.number", "col.source", "col.line", "col.status", "col.records", "col.reason")
    frame = pd.DataFrame(rows, columns=[t(k, lang) for k in keys])
    problems = [*account.source_problems, *(str(s) for s in account.stale)]
    return (
        Text(coverage.summary(account, lang), "body"),
        *(Text(p, "warning") for p in problems),
        Group(
            "coverage-list",
            "coverage",
            t("coverage.list", lang),
            (Table("coverage-table", frame, grid=True, originals=(t("col.number", lang),)),),
            record=False,
        ),
    )


def source_notices(base: FactBase, lang: str) -> list[str]:
    """What is wrong with the source files (missing, not UTF-8, another checksum), or []."""
    from haixi.sources import source_problems

    return source_problems(base, sources_dir(), lang)


def citation_text(base: FactBase, lang: str) -> str:
    """How to cite the fact base, in the reader's language, crediting every source."""
    meta = base.meta
    return nt(
        "sources.citation",
        "sources.citation.plural",
        len(base.sources),
        lang,
        title=pick(meta.title, lang),
        version=meta.version,
        released=meta.released.isoformat(),
        sources=source_titles(base, lang),
    )


