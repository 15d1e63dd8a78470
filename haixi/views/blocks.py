"""The blocks every page view is built of, and the builders the pages share."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from babel.lists import format_list

from haixi import charts as charts_mod
from haixi import measures
from haixi.formatting import LOCALES, format_quantity, format_value, qualifier_badge, tick
from haixi.i18n import N_, enum_label, nt, pick, t
from haixi.paths import sources_dir
from haixi.schema import (
    Document,
    Fact,
    FactBase,
    Milestone,
    Programme,
    Project,
    Qualifier,
    Quote,
    Source,
    Unit,
)

PAGES = ("overview", "economy", "chains", "projects", "livelihood", "sources", "text")
# Every page's title, and its intro (the report's template builds its id from the page's name),
# marked for pybabel; tests/test_i18n.py checks that every page has both.
_PAGE_TITLES = {
    "overview": N_("page.overview"),
    "economy": N_("page.economy"),
    "chains": N_("page.chains"),
    "projects": N_("page.projects"),
    "livelihood": N_("page.livelihood"),
    "sources": N_("page.sources"),
    "text": N_("page.text"),
}
# The overview's, Sources' and the text's intros count the sources: page_intro looks them up.
_PAGE_INTROS = {
    "economy": N_("page.economy.intro"),
    "chains": N_("page.chains.intro"),
    "projects": N_("page.projects.intro"),
    "livelihood": N_("page.livelihood.intro"),
}


# The long pages, whose parts a reader picks between: on screen their titled sections are
# tabs, only the open one built, and ?tab=<section id> names the open one; the report prints
# them all.
TABBED_PAGES = ("economy", "projects", "livelihood", "sources")
TAB_PARAM = "tab"

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Citation:
    """A record's verbatim quote and where it stands in its source."""

    record_id: str
    label: str
    quote: str
    source_title: str
    publisher: str
    file: str
    line: int | None
    source_id: str = ""  # the id of the quote's source: its passage is ?source=<id>&line=<n>


@dataclass(frozen=True)
class Figure:
    """A figure card: the value as formatted, its qualifier, period, wording and quote."""

    id: str
    label: str
    value: str
    qualifier: str  # the qualifier's label when not exact, else ""
    phrase: str  # the text's own qualifying words, else ""
    period: str
    stated: str
    note: str
    citation: Citation | None
    warning: str = ""
    # A measure read more than once (haixi.measures): the card is its preferred reading of its
    # latest period; these say what the other readings add. Empty for a measure read once.
    others: str = ""  # how many other readings there are ("2 other readings")
    readings: tuple[Citation, ...] = ()  # every other reading: its value, period and quote
    also: tuple[str, ...] = ()  # readings of the same period that agree ("also reported: ...")
    disagreement: str = ""  # readings of the same period that cannot both be right
    change: str = ""  # against the previous period, where both readings are exact

    @property
    def badges(self) -> list[str]:
        """Qualifier, qualifying words and period, as a card shows them under the value."""
        return [b for b in (self.qualifier, self.phrase, self.period) if b]


@dataclass(frozen=True)
class Figures:
    """A row (or grid) of figure cards."""

    figures: tuple[Figure, ...]
    columns: int = 4


@dataclass(frozen=True)
class Item:
    """One line of a record list: a lead in bold (may be ""), the text, a note."""

    id: str
    kind: str  # milestone, document, programme, priority, fact, record, statement
    lead: str
    text: str
    note: str
    citation: Citation
    detail: str = ""  # who or what else, in a smaller type (a document's issuer)


@dataclass(frozen=True)
class Records:
    """Records as one list with one quote list (programmes, milestones, documents, ...)."""

    key: str
    items: tuple[Item, ...]
    title: str = ""


@dataclass(frozen=True)
class Card:
    """A card for one record: its name, lines about it and its quote."""

    id: str
    title: str
    lines: tuple[str, ...]
    citation: Citation | None
    warning: str = ""
    original: str = ""  # the source's own words (Chinese), shown as such in English


@dataclass(frozen=True)
class Cards:
    """Cards side by side."""

    cards: tuple[Card, ...]
    columns: int = 2


@dataclass(frozen=True, eq=False)
class ChartBlock:
    """A chart of haixi.charts with what it was built from and its data as shown and as CSV."""

    key: str
    builder: Callable
    kwargs: tuple
    chart: charts_mod.Chart | None  # None when the fact base lacks the chart's records
    shown: pd.DataFrame | None  # the data table as a reader sees it (no machine columns)
    # The report prints the data table under the chart too: a series, whose rows carry each
    # point's source and quote (the dashboard shows every chart's table beside it).
    table: bool = False

    @property
    def summary(self) -> str:
        return getattr(self.chart, "summary", "") if self.chart else ""


@dataclass(frozen=True, eq=False)
class Table:
    """A table: column headings and rows of text; `csv` names its download (or "")."""

    key: str
    frame: pd.DataFrame
    csv: str = ""
    grid: bool = False  # always the scrolling, sortable grid, however short
    originals: tuple[str, ...] = ()  # headings of columns holding the source's own words
    ids: tuple[str, ...] = ()  # per row, the record it shows (when rows are records)


@dataclass(frozen=True)
class Facet:
    """One filter of a filtered table: its URL parameter, label and options (value, label)."""

    param: str
    label: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class FilteredTable:
    """A table a reader filters: rows with the facet values each row has, and their quotes."""

    key: str
    title_key: str  # catalogue key of the heading, with {shown} and {total}
    help: str
    facets: tuple[Facet, ...]
    frame: pd.DataFrame  # every row, the reader's columns
    row_facets: tuple[dict[str, frozenset[str]], ...]  # per row: param -> its values
    row_records: tuple[str, ...]  # per row: the record id
    citations: dict[str, Citation]  # record id -> quote
    search: str = ""  # label of a text search box, "" for none
    csv: str = ""
    quotes_title: str = ""  # label of the quote list under the table, "" for none
    total: int = 0  # number of records (a project has a row per output)
    originals: tuple[str, ...] = ()  # headings of columns holding the source's own words
    heading: bool = False  # the count line is the section's heading, not a caption
    # Headings of the columns the page shows, in order (() for every column); the CSV and the
    # report carry every column, and each row's quote is in the quote list under the table.
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Text:
    """A paragraph: style is body, caption, info, warning or box (a copyable text box)."""

    text: str
    style: str = "body"
    title: str = ""


@dataclass(frozen=True)
class Link:
    """A link to another page, with the highlight it promises."""

    page: str
    title: str
    text: str


@dataclass(frozen=True)
class Links:
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Downloads:
    """The fact base's downloads (the dashboard offers them; the report is one of them)."""


@dataclass(frozen=True)
class Group:
    """A titled group of blocks that a reader opens (a chain in Chain by chain)."""

    key: str
    id: str
    title: str
    blocks: tuple
    original: str = ""
    collapsed: bool = True  # False: shown open under its own heading
    citation: Citation | None = None  # where the text names the group's record
    record: bool = True  # the group shows one record (its id is a record's)


@dataclass(frozen=True)
class Section:
    """A titled part of a page ("" for the part before the first heading)."""

    id: str
    title: str
    blocks: tuple
    help: str = ""


@dataclass(frozen=True)
class PageView:
    """A whole page: its title, intro and sections."""

    name: str
    title: str
    intro: str
    sections: tuple[Section, ...]

    @property
    def tabs(self) -> bool:
        """Whether its titled sections are tabs on screen (TABBED_PAGES)."""
        return self.name in TABBED_PAGES

    def split(self) -> tuple[tuple[Section, ...], tuple[Section, ...]]:
        """(the sections shown above the tabs, the sections shown as tabs): the untitled
        sections before the first heading stay above; a page without tabs has none."""
        if not self.tabs:
            return self.sections, ()
        lead = 0
        while lead < len(self.sections) and not self.sections[lead].title:
            lead += 1
        return self.sections[:lead], self.sections[lead:]

    def blocks(self):
        """Every block of the page, groups opened, in order."""
        for section in self.sections:
            yield from _walk(section.blocks)


@dataclass(frozen=True)
class Request:
    """What the reader's address asks of a page beyond its filters, as the app parsed it (the
    last value of each, cut to length): None where the address does not say."""

    fact: str | None = None  # ?fact=<record id>
    source: str | None = None  # ?source=<source id>
    line: str | None = None  # ?line=<n>, as written


@dataclass(frozen=True)
class Notice:
    """A notice a request raises (an unknown record, a line the source lacks): plain text."""

    text: str


@dataclass(frozen=True)
class Pinned:
    """What a request pins above a page, drawn in order before its intro (notices, pickers,
    panels), the ids of the page's sections it hides, and the lines of the source on show that
    it asks for (marked where they stand)."""

    blocks: tuple = ()
    hidden: tuple[str, ...] = ()
    asked: tuple[int, ...] = ()


def _walk(blocks):
    for block in blocks:
        yield block
        if isinstance(block, Group):
            yield from _walk(block.blocks)


# --------------------------------------------------------------------------- small builders


def sources_stamp(folder: Path | None = None) -> tuple:
    """The sources folder's files with their size and time: what a cache of them depends on."""
    folder = Path(folder or sources_dir())
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                            for p in folder.iterdir()))
    except OSError:
        return (str(folder), "unreadable")


@functools.lru_cache(maxsize=4096)
def _quote_lines(path: str, stamp: tuple, quote: str) -> int | None:
    """The line of the file at `path` a quote starts on, or None (no file, or not in it)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    index = text.find(quote)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def quote_line(base: FactBase, quote: Quote) -> int | None:
    """The line of its own source (`quote.source`) a quote is on, when that file is at hand."""
    try:
        source = base.source(quote.source)
    except KeyError:
        return None
    folder = sources_dir()
    return _quote_lines(str(folder / source.file), sources_stamp(folder), quote.quote)


def citation(base: FactBase, lang: str, record_id: str, label: str, quote: Quote) -> Citation:
    source = base.source(quote.source)
    return Citation(
        record_id=record_id,
        label=label,
        quote=quote.quote,
        source_title=pick(source.title, lang),
        publisher=pick(source.publisher, lang),
        file=source.file,
        line=quote_line(base, quote),
        source_id=source.id,
    )


def year_text(year: int | None, lang: str) -> str:
    """A year as every list writes it ("2022年" / "2022"), or the catalogue's "no year"."""
    return t("label.period", lang, year=year) if year else t("label.no_year", lang)


def document_title(document: Document, lang: str) -> str:
    return t("label.document_title", lang, title=pick(document.title, lang))


def figure(base: FactBase, lang: str, fact: Fact) -> Figure:
    q = fact.quantity
    return Figure(
        id=fact.id,
        label=pick(fact.label, lang),
        value=format_quantity(q, lang),
        qualifier=enum_label(q.qualifier, lang) if q.qualifier is not Qualifier.exact else "",
        phrase=qualifier_badge(q, lang) or "",
        period=t("label.period", lang, year=fact.period),
        stated=q.stated,
        note=pick(fact.note, lang) if fact.note else "",
        citation=citation(base, lang, fact.id, pick(fact.label, lang), fact.source),
    )


def reading_citation(base: FactBase, lang: str, fact: Fact) -> Citation:
    """A reading in a card's quote list: its value (with its qualifier) and period as the
    label, its own source, quote and line."""
    label = t("card.reading", lang, value=format_quantity(fact.quantity, lang),
              period=year_text(fact.period, lang))
    return citation(base, lang, fact.id, label, fact.source)


def _signed(value: float, unit: Unit, lang: str) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + format_value(abs(value), unit, lang)


def change_text(change: measures.Change, unit: Unit, lang: str) -> str:
    """A measure's change from its previous period, in words ("+CNY 18,000 (+11.8%) on 2021")."""
    previous = year_text(change.previous_period, lang)
    if unit is Unit.percent:
        return t("card.change.points", lang, previous=previous,
                 diff=("+" if change.difference >= 0 else "−") + tick(abs(change.difference), lang))
    diff = _signed(change.difference, unit, lang)
    if change.relative is None:
        return t("card.change", lang, previous=previous, diff=diff)
    return t("card.change.share", lang, previous=previous, diff=diff,
             share=f"{change.relative * 100:+.1f}%".replace("-", "−"))


def other_readings(base: FactBase, best: Fact) -> list[Fact]:
    """The readings a card of `best` counts and lists as its "other readings", on every page
    alike: every other reading of its measure in the fact base, of every period, the latest
    period first and each period's in order of preference (haixi.measures.rank). A page shows
    the readings of the periods it is about (the overview its latest), but the count is the
    measure's, so one figure's card says the same on every page."""
    measure = measures.measure(base, best.measure_id)
    periods = measure.periods if measure is not None else ()
    return [r for p in reversed(periods) for r in measures.rank(base, measure.of(p))
            if r is not best]


def measure_figure(base: FactBase, lang: str, measure: measures.Measure) -> Figure:
    """A measure's card: its preferred reading of its latest period (of these readings), how
    many other readings there are and each one's quote (other_readings), the readings of that
    period that agree or disagree (haixi.measures.compare), and the change from the previous
    period (where these readings span two periods or more)."""
    period = measure.periods[-1]
    best = measures.preferred(base, measure.of(period))
    card = figure(base, lang, best)
    others = other_readings(base, best)
    if not others:
        return card
    shown = {id(r) for r in others}
    compared = measures.compare(base, measure.id, period)
    agreeing = [r for r in compared.corroborating if id(r) in shown] if compared else []
    disagreeing = [r for r in compared.discrepant if id(r) in shown] if compared else []

    def by(fact: Fact) -> str:
        return source_title(base.source(fact.source.source), lang)

    disagreement = ""
    if disagreeing:
        against = [
            t("card.discrepancy.reading", lang, source=by(r), value=format_quantity(r.quantity, lang))
            for r in disagreeing
        ]
        disagreement = t(
            "card.discrepancy", lang, period=year_text(period, lang),
            value=format_quantity(best.quantity, lang), source=by(best),
            others=format_list(against, locale=LOCALES[lang]),
        )
    moved = measures.change(base, measure.id, period) if len(measure.periods) > 1 else None
    return dataclasses.replace(
        card,
        others=nt("card.others", "card.others.plural", len(others), lang),
        readings=tuple(reading_citation(base, lang, r) for r in others),
        also=tuple(
            t("card.also", lang, value=format_quantity(r.quantity, lang), source=by(r))
            for r in agreeing
        ),
        disagreement=disagreement,
        change=change_text(moved, best.quantity.unit, lang) if moved else "",
    )


def figures(base: FactBase, lang: str, facts: Sequence[Fact], columns: int = 4) -> tuple:
    """One card per measure these facts read (readings of one measure are one card), then a
    chart over the years for each measure they read in two periods or more; nothing when
    there are no facts."""
    if not facts:
        return ()
    grouped = measures.group(facts).values()
    cards = tuple(measure_figure(base, lang, m) for m in grouped)
    series = tuple(series_block(base, lang, m.id) for m in grouped if len(m.periods) > 1)
    return (Figures(cards, max(1, min(columns, len(cards)))), *series)


def series_block(base: FactBase, lang: str, measure_id: str) -> ChartBlock:
    """A measure's series (charts.measure_series) with its data table, which the report prints
    too: a row per point with its source, its quote and the line of the source the quote is on
    (empty where the source file is not at hand), as every other quote names its line."""
    block = chart_block(base, lang, charts_mod.measure_series, f"series-{measure_id}",
                        measure=measure_id)
    if block.chart is None:
        return dataclasses.replace(block, table=True)
    lines = [quote_line(base, base.fact(i).source) for i in block.chart.data[t("col.fact_id", lang)]]
    shown = block.shown.copy()
    shown.insert(shown.columns.get_loc(t("col.quote", lang)) + 1, t("col.line", lang),
                 pd.array(lines, dtype="Int64"))
    return dataclasses.replace(block, shown=shown, table=True)


def record_item(base, lang, record_id, kind, lead, text, note, quote, label=None, detail="") -> Item:
    return Item(
        record_id, kind, lead, text, note,
        citation(base, lang, record_id, label or text, quote), detail,
    )


def milestone_item(base: FactBase, lang: str, m: Milestone) -> Item:
    return record_item(
        base, lang, m.id, "milestone", year_text(m.period, lang), pick(m.text, lang),
        pick(m.note, lang) if m.note else "", m.source,
    )


def programme_item(base: FactBase, lang: str, p: Programme) -> Item:
    return record_item(
        base, lang, p.id, "programme", pick(p.name, lang), pick(p.description, lang), "",
        p.source, label=pick(p.name, lang),
    )


def document_item(base: FactBase, lang: str, d: Document) -> Item:
    return record_item(
        base, lang, d.id, "document", year_text(d.year, lang), document_title(d, lang),
        "", d.source, label=pick(d.title, lang), detail=pick(d.issuer, lang) if d.issuer else "",
    )


def fact_item(base: FactBase, lang: str, f: Fact) -> Item:
    return record_item(
        base, lang, f.id, "fact", pick(f.label, lang), format_quantity(f.quantity, lang),
        pick(f.note, lang) if f.note else "", f.source, label=pick(f.label, lang),
    )


def records(key: str, items: Sequence[Item], title: str = "") -> tuple:
    """A Records block, or nothing when there are no items."""
    return (Records(key, tuple(items), title),) if items else ()


def chart_block(base: FactBase, lang: str, builder: Callable, key: str, **kwargs) -> ChartBlock:
    """Build a chart now (views are cached per fact-base version and language)."""
    try:
        built = builder(base, lang, **kwargs)
    except charts_mod.ChartDataMissing:
        built = None
    shown = display_table(built.data, lang) if built is not None else None
    return ChartBlock(key, builder, tuple(sorted(kwargs.items())), built, shown)


# Columns for machines (ids, raw values, units already in the formatted value): in the
# CSV download, not in the table on screen.
_MACHINE_COLUMNS = ("col.fact_id", "col.id", "col.value_raw", "col.unit")


def display_table(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A chart's data as shown beside it: the CSV's columns minus the machine ones."""
    hidden = {t(k, lang) for k in _MACHINE_COLUMNS}
    return data[[c for c in data.columns if c not in hidden]]


def section(ident: str, title: str, *parts, help: str = "") -> Section:
    """A section from blocks and tuples of blocks (empty tuples drop out)."""
    blocks: list = []
    for part in parts:
        if isinstance(part, tuple):
            blocks.extend(part)
        elif part is not None:
            blocks.append(part)
    return Section(ident, title, tuple(blocks), help)


def keep(sections: Sequence[Section]) -> tuple[Section, ...]:
    return tuple(s for s in sections if s.blocks)


def page_title(name: str, lang: str) -> str:
    """The page's title in the language."""
    return t(_PAGE_TITLES[name], lang)


def page_intro(name: str, base: FactBase, lang: str) -> str:
    """The line that says what a page is for (the report prints it under the page's title)."""
    if name == "overview":
        return nt("page.overview.intro", "page.overview.intro.plural", len(base.sources), lang,
                  period=covered(base))
    # These two speak of "the source": plural where there are several.
    if name == "sources":
        return nt("page.sources.intro", "page.sources.intro.plural", len(base.sources), lang)
    if name == "text":
        return nt("page.text.intro", "page.text.intro.plural", len(base.sources), lang)
    return t(_PAGE_INTROS[name], lang)


def source_note(base: FactBase, lang: str) -> str:
    """The note under every page and the report: where the figures come from, crediting the
    sources by title where there are several."""
    return nt("sidebar.source_note", "sidebar.source_note.plural", len(base.sources), lang,
              sources=source_titles(base, lang, quoted=True))


# --------------------------------------------------------------------------- what the base covers


def covered(base: FactBase) -> str:
    """The period(s) the fact base's figures describe, as titles write them ("2022",
    "2021-2022"): every title and intro that names the year takes it from here."""
    return measures.periods_text(measures.periods(base))


def tab_title(base: FactBase | None) -> str:
    """The browser tab's title, in both languages at once (the page config is set before the
    reader's language is known); without a valid fact base, no period."""
    period = covered(base) if base is not None else ""
    return f"Haixi {period} · 海西州{period}" if period else "Haixi · 海西州"


def source_title(source: Source, lang: str, *, quoted: bool = False) -> str:
    """A source's title as a sentence names it: in 《》 in Chinese; in English plain, or in
    quotation marks when `quoted`."""
    title = pick(source.title, lang)
    if lang == "zh":
        return f"《{title}》"
    return f"“{title}”" if quoted else title


def source_titles(base: FactBase, lang: str, *, quoted: bool = False) -> str:
    """Every source's title, in file order, as one list in the language ("A, B, and C",
    "《A》、《B》和《C》"): the wording that credits the sources."""
    return format_list(
        [source_title(s, lang, quoted=quoted) for s in base.sources], locale=LOCALES[lang]
    )


def project_rows(base: FactBase, lang: str, projects: Sequence[Project], *, full: bool):
    """A row per output of each project: the reader's columns, name first, id last."""
    chains = {c.id: c for c in base.chains}
    programmes = {p.id: p for p in base.programmes}
    keys = (
        ("col.project", "col.company", "col.product", "col.capacity", "col.stage",
         "col.stage_as_stated", "col.chain", "col.chain_basis", "col.programme", "col.year",
         "col.quote", "col.id")
        if full
        else ("col.project", "col.company", "col.product", "col.capacity", "col.stage",
              "col.chain_basis")
    )
    rows, facets, ids = [], [], []
    for project in projects:
        for output in project.outputs or ():
            values = {
                "col.project": pick(project.name, lang),
                "col.company": pick(project.company, lang) if project.company else "",
                "col.product": pick(output.product, lang),
                "col.capacity": format_quantity(output.capacity, lang) if output.capacity else "",
                "col.stage": enum_label(project.stage, lang),
                "col.stage_as_stated": project.stage_as_stated,
                "col.chain": pick(chains[project.chain].name, lang) if project.chain else "",
                "col.chain_basis": enum_label(project.chain_basis, lang)
                if project.chain_basis
                else "",
                "col.programme": ", ".join(
                    pick(programmes[pid].name, lang) for pid in project.programmes
                ),
                "col.year": str(project.year) if project.year else "",
                "col.quote": project.source.quote,
                "col.id": project.id,
            }
            rows.append([values[k] for k in keys])
            facets.append(
                {
                    "chain": frozenset([project.chain] if project.chain else []),
                    "stage": frozenset([project.stage.value]),
                    "product": frozenset([output.product.zh]),
                    "programme": frozenset(project.programmes),
                }
            )
            ids.append(project.id)
    frame = pd.DataFrame(rows, columns=[t(k, lang) for k in keys], dtype=object)
    return frame, tuple(facets), tuple(ids)


def originals(lang: str, frame: pd.DataFrame) -> tuple[str, ...]:
    """The headings of a table's columns that hold the source's own words."""
    words = {t(k, lang) for k in ("col.quote", "col.stage_as_stated", "col.stated")}
    return tuple(c for c in frame.columns if c in words)


# --------------------------------------------------------------------------- filtering


def filter_rows(
    table: FilteredTable, chosen: dict[str, Sequence[str]], query: str = ""
) -> list[int]:
    """The row positions that pass the filters (an empty filter keeps everything)."""
    keep = []
    needle = query.casefold()
    for index, row_facets in enumerate(table.row_facets):
        if any(values and not row_facets.get(param, frozenset()) & set(values)
               for param, values in chosen.items()):
            continue
        if needle and not any(needle in str(v).casefold() for v in table.frame.iloc[index]):
            continue
        keep.append(index)
    return keep

