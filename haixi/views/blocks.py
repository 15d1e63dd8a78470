"""What each page shows, decided once: fact base + language in, plain dataclasses out.

Every choice of which records a page shows, in what order and in what words lives here and only
here; the Streamlit pages (haixi.render_st) and the offline report (haixi.report) render these
views and decide nothing. No Streamlit, no HTML, no Markdown: every string is plain text, and
each renderer escapes it for its own medium.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from babel.lists import format_list

from haixi import charts as charts_mod
from haixi import measures
from haixi.formatting import LOCALES, format_quantity, format_value, qualifier_badge, tick
from haixi.i18n import N_, enum_label, nt, pick, t
from haixi.paths import sources_dir
from haixi.schema import (
    RECORD_SECTIONS,
    Area,
    Document,
    Fact,
    FactBase,
    Milestone,
    Programme,
    ProgrammeKind,
    Project,
    Qualifier,
    Quote,
    Source,
    Stage,
    Topic,
    Unit,
    all_quotes,
    record_label,
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

# The topics of the economy page's figures, milestones and programmes.
ECONOMY_TOPICS = (Topic.economy, Topic.fiscal, Topic.industry)
# The livelihood page's groups: (heading key, topics, chart drawn with them).
LIVELIHOOD_GROUPS: tuple[tuple[str, tuple[Topic, ...], str | None], ...] = (
    (N_("livelihood.employment"), (Topic.employment,), "employment_vs_target"),
    (N_("livelihood.income"), (Topic.income,), "income_growth"),
    (N_("livelihood.insurance"), (Topic.insurance,), "insurance_coverage"),
    (N_("livelihood.rural"), (Topic.rural_revitalisation,), None),
    (N_("livelihood.education_health"), (Topic.education, Topic.health), None),
    ("topic.social_security", (Topic.social_security,), None),
    ("topic.culture", (Topic.culture,), None),
)
CHAIN_SYSTEM = "chain-leader-system"
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
# The filters of the projects table, in order: (URL parameter, column key).
PROJECT_FILTERS = (
    ("chain", "col.chain"),
    ("stage", "col.stage"),
    ("product", "col.product"),
    ("programme", "col.programme"),
)
# The filters of the every-record table, in order: (URL parameter, column key).
RECORD_FILTERS = (
    ("topic", "col.topic"),
    ("measure", N_("col.measure")),
    ("period", "col.period"),
    ("source", "col.source"),
)
# The long pages, whose parts a reader picks between: on screen their titled sections are
# tabs, only the open one built, and ?tab=<section id> names the open one; the report prints
# them all.
TABBED_PAGES = ("economy", "projects", "livelihood", "sources")
TAB_PARAM = "tab"
# URL parameters each page reads (besides lang and fact), and which may repeat; a tabbed page
# also reads ?tab=, whose repeats its reader (render_st.section_tabs) reports itself.


def _and_tab(params: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """`params`, with ?tab= added for every page in TABBED_PAGES."""
    names = dict.fromkeys([*params, *TABBED_PAGES])
    return {n: (*params.get(n, ()), *((TAB_PARAM,) if n in TABBED_PAGES else ())) for n in names}


PAGE_PARAMS = _and_tab({
    "projects": tuple(p for p, _ in PROJECT_FILTERS),
    "sources": ("q", *(p for p, _ in RECORD_FILTERS)),
    "text": ("line", "source"),
})
MULTI_PARAMS = _and_tab({
    "projects": tuple(p for p, _ in PROJECT_FILTERS),
    "sources": tuple(p for p, _ in RECORD_FILTERS),
})


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


def measure_figure(base: FactBase, lang: str, measure: measures.Measure) -> Figure:
    """A measure's card: its preferred reading of its latest period (of these readings), how
    many other readings there are and each one's quote, the readings of that period that agree
    or disagree (haixi.measures.compare), and the change from the previous period."""
    period = measure.periods[-1]
    best = measures.preferred(base, measure.of(period))
    card = figure(base, lang, best)
    others = [r for p in reversed(measure.periods) for r in measures.rank(base, measure.of(p))
              if r is not best]
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
    series = tuple(
        dataclasses.replace(
            chart_block(base, lang, charts_mod.measure_series, f"series-{m.id}", measure=m.id),
            table=True,
        )
        for m in grouped
        if len(m.periods) > 1
    )
    return (Figures(cards, max(1, min(columns, len(cards)))), *series)


def _item(base, lang, record_id, kind, lead, text, note, quote, label=None, detail="") -> Item:
    return Item(
        record_id, kind, lead, text, note,
        citation(base, lang, record_id, label or text, quote), detail,
    )


def milestone_item(base: FactBase, lang: str, m: Milestone) -> Item:
    return _item(
        base, lang, m.id, "milestone", year_text(m.period, lang), pick(m.text, lang),
        pick(m.note, lang) if m.note else "", m.source,
    )


def programme_item(base: FactBase, lang: str, p: Programme) -> Item:
    return _item(
        base, lang, p.id, "programme", pick(p.name, lang), pick(p.description, lang), "",
        p.source, label=pick(p.name, lang),
    )


def document_item(base: FactBase, lang: str, d: Document) -> Item:
    return _item(
        base, lang, d.id, "document", year_text(d.year, lang), document_title(d, lang),
        "", d.source, label=pick(d.title, lang), detail=pick(d.issuer, lang) if d.issuer else "",
    )


def fact_item(base: FactBase, lang: str, f: Fact) -> Item:
    return _item(
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


def _keep(sections: Sequence[Section]) -> tuple[Section, ...]:
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


# --------------------------------------------------------------------------- pages


def overview(base: FactBase, lang: str) -> PageView:
    """Headline results, the year's milestones and one highlight per section."""
    intro = nt(
        "overview.intro",
        "overview.intro.plural",
        len(base.sources),
        lang,
        period=covered(base),
        region=pick(base.meta.region, lang),
        sources=source_titles(base, lang, quoted=True),
    )
    counts = Text(
        t(
            "overview.counts",
            lang,
            facts=nt("count.figures", "count.figures.plural", len(base.facts), lang),
            projects=nt("count.projects", "count.projects.plural", len(base.projects), lang),
            chains=nt("count.chains", "count.chains.plural", len(base.chains), lang),
        ),
        "caption",
    )
    # Each headline's card: its measure's readings of the headline's period (the latest), so
    # the card says what the other sources of that year report.
    shown = [
        r for h in measures.headline_readings(base)
        for r in measures.measure(base, h.measure_id).of(h.period)
    ]
    milestones = [milestone_item(base, lang, m) for m in base.milestones]
    return PageView(
        "overview",
        page_title("overview", lang),
        intro,
        _keep(
            [
                section("intro", "", counts),
                section("headlines", t("overview.headlines", lang), figures(base, lang, shown)),
                section(
                    "milestones",
                    t("overview.milestones", lang),
                    records("cite-milestones", milestones),
                ),
                section("sections", t("overview.sections", lang), Links(highlights(base, lang))),
            ]
        ),
    )


def highlights(base: FactBase, lang: str) -> tuple[Link, ...]:
    """One highlight per section; a section whose figure the base lacks gets its link alone."""
    revenue = measures.latest(base, base.display.highlights.economy)
    stated = measures.latest(base, base.display.chain_count)
    holders = [p for p in base.projects if p.records]
    jobs = measures.latest(base, base.display.highlights.livelihood)

    def figure_text(fact: Fact | None) -> str:
        if fact is None:
            return ""
        return t("overview.hl_figure", lang, label=pick(fact.label, lang),
                 value=format_quantity(fact.quantity, lang))

    quotes = sum(1 for _ in all_quotes(base))
    texts = {
        "economy": figure_text(revenue),
        "chains": t(
            "overview.hl_chains",
            lang,
            listed=nt("count.industry_names", "count.industry_names.plural", len(base.chains), lang),
            stated=nt("count.chains", "count.chains.plural", int(stated.quantity.value), lang),
            reported=nt(
                "overview.hl_chains.reported",
                "overview.hl_chains.reported.plural",
                sum(1 for c in base.chains if base.projects_of(c.id)),
                lang,
            ),
        )
        if stated
        else "",
        "projects": nt(
            "overview.hl_projects",
            "overview.hl_projects.plural",
            len(base.projects),
            lang,
            projects=len(base.projects),
            record=pick(holders[-1].records[0].text, lang),
        )
        if holders
        else "",
        "livelihood": figure_text(jobs),
        "sources": t(
            "overview.hl_sources",
            lang,
            facts=nt("count.figures", "count.figures.plural", len(base.facts), lang),
            errata=nt("count.errata", "count.errata.plural", len(base.errata), lang),
        ),
        "text": nt("overview.hl_text", "overview.hl_text.plural", quotes, lang, quotes=quotes)
        if len(base.sources) < 2 else
        nt("overview.hl_texts", "overview.hl_texts.plural", quotes, lang, quotes=quotes,
           sources=len(base.sources)),
    }
    return tuple(Link(page, page_title(page, lang), text) for page, text in texts.items())


def economy(base: FactBase, lang: str) -> PageView:
    """GDP and fiscal figures, the year's documents, business environment and strategies."""
    facts = [f for f in base.facts if f.topic in ECONOMY_TOPICS]
    others = [programme_item(base, lang, p) for p in base.programmes if p.topic in ECONOMY_TOPICS]
    milestones = [milestone_item(base, lang, m) for m in base.milestones if m.topic in ECONOMY_TOPICS]
    documents = [document_item(base, lang, d) for d in sorted(base.documents, key=lambda d: d.position)]
    measures = [p for p in base.programmes if p.topic is Topic.business_environment]
    business_facts = [f for f in base.facts if f.topic is Topic.business_environment]
    strategies = [programme_item(base, lang, p) for p in base.programmes if p.topic is Topic.strategy]
    strategy_facts = [f for f in base.facts if f.topic is Topic.strategy]
    by_kind = [
        records(
            f"cite-pg-{kind.value}",
            [programme_item(base, lang, p) for p in measures if p.kind is kind],
            enum_label(kind, lang),
        )
        for kind in ProgrammeKind
    ]
    return PageView(
        "economy",
        page_title("economy", lang),
        "",
        _keep(
            [
                section(
                    "figures",
                    t("economy.figures", lang),
                    figures(base, lang, facts),
                    records("cite-economy-programmes", others),
                ),
                section("milestones", t("economy.milestones", lang), records("cite-milestones", milestones)),
                section("documents", t("economy.documents", lang), records("cite-documents", documents)),
                section(
                    "business",
                    t("economy.business_environment", lang),
                    figures(base, lang, business_facts),
                    *by_kind,
                    help=t("economy.business_environment_help", lang),
                ),
                section(
                    "strategies",
                    t("economy.strategies", lang),
                    figures(base, lang, strategy_facts),
                    records("cite-strategies", strategies),
                ),
            ]
        ),
    )


# The project table's columns on the page: a row reads on a phone, and the long ones (the
# programme, the quote) are in the CSV, the report and the quote list under the table.
PROJECT_COLUMNS = (
    "col.project", "col.company", "col.product", "col.capacity", "col.stage",
    "col.stage_as_stated", "col.chain", "col.chain_basis", "col.id",
)


def _project_rows(base: FactBase, lang: str, projects: Sequence[Project], *, full: bool):
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


def chains(base: FactBase, lang: str) -> PageView:
    """The chain-leader system, the stated count against the names listed, every chain."""
    system = next((p for p in base.programmes if p.id == CHAIN_SYSTEM), None)
    count = measures.latest(base, base.display.chain_count)
    listed = Figure(
        id="chains-listed",
        label=t("chains.listed_names", lang),
        value=str(len(base.chains)),
        qualifier="",
        phrase="",
        period="",
        stated="",
        note="",
        citation=None,
        warning=pick(count.note, lang) if count is not None and count.note else "",
    )
    intro_blocks: list = []
    if system is not None:
        intro_blocks.append(
            Cards(
                (
                    Card(
                        system.id,
                        pick(system.name, lang),
                        (pick(system.description, lang),),
                        citation(base, lang, system.id, pick(system.name, lang), system.source),
                    ),
                ),
                1,
            )
        )
    counted = (figure(base, lang, count),) if count is not None else ()
    intro_blocks.append(Figures((*counted, listed), 2))
    documents = [document_item(base, lang, d) for d in base.documents if d.topic is Topic.chains]
    programmes = [
        p for p in base.programmes if p.topic is Topic.chains and p.id != CHAIN_SYSTEM
    ]
    programme_cards = tuple(
        Card(
            p.id,
            pick(p.name, lang),
            (
                pick(p.description, lang),
                t("chains.programme_projects", lang,
                  n=sum(1 for x in base.projects if p.id in x.programmes)),
            ),
            citation(base, lang, p.id, pick(p.name, lang), p.source),
        )
        for p in programmes
    )
    milestones = [milestone_item(base, lang, m) for m in base.milestones if m.topic is Topic.chains]
    chain_facts = [f for f in base.facts if f.topic is Topic.chains and f.measure_id != base.display.chain_count]
    # A chain lists and counts the readings of the fact base's latest period, as the overview's
    # headlines do, so its count never adds two years' readings of one measure; earlier periods'
    # readings are on their topic's page and in their measure's series.
    years = measures.periods(base)
    groups = []
    for chain in sorted(base.chains, key=lambda c: c.position):
        projects = base.projects_of(chain.id)
        facts = [f for f in base.facts_of(chain.id) if years and f.period == years[-1]]
        blocks: list = []
        if chain.note:
            blocks.append(Text(pick(chain.note, lang), "info"))
        if not (projects or facts or chain.highlights):
            blocks.append(Text(t("chains.nothing_reported", lang), "caption"))
        if projects:
            frame, _, _ = _project_rows(base, lang, projects, full=False)
            blocks.append(Table(f"chain-table-{chain.id}", frame))
        items = [fact_item(base, lang, f) for f in facts]
        items += [
            _item(base, lang, chain.id, "statement", "", pick(h.text, lang), "", h.source)
            for h in chain.highlights
        ]
        blocks += records(f"cite-chain-{chain.id}", items)
        groups.append(
            Group(
                f"chain-{chain.id}",
                chain.id,
                f"{chain.position}. {pick(chain.name, lang)} · "
                + t(
                    "chains.counts",
                    lang,
                    projects=nt("count.projects", "count.projects.plural", len(projects), lang),
                    facts=nt("count.figures", "count.figures.plural", len(facts), lang),
                ),
                tuple(blocks),
                original=chain.name.zh if lang == "en" else "",
            )
        )
    return PageView(
        "chains",
        page_title("chains", lang),
        "",
        _keep(
            [
                section("system", "", tuple(intro_blocks), records("cite-documents", documents)),
                section(
                    "programmes",
                    t("chains.programmes", lang),
                    Cards(programme_cards, max(1, len(programme_cards))) if programme_cards else (),
                ),
                section(
                    "reported",
                    t("chains.reported", lang),
                    chart_block(base, lang, charts_mod.chains_overview, "chains-overview"),
                    chart_block(base, lang, charts_mod.chain_hierarchy, "chain-hierarchy"),
                    figures(base, lang, chain_facts),
                    records("cite-chain-milestones", milestones),
                ),
                section(
                    "each",
                    t("chains.each", lang),
                    tuple(groups),
                    help=t("chains.classification_note", lang),
                ),
            ]
        ),
    )


def _facts_of_project(project: Project, facts: Sequence[Fact]) -> list[Fact]:
    """Figures quoting the same clause as the project or one of its records."""
    quotes = {project.source.quote, *(r.source.quote for r in project.records)}
    return [f for f in facts if f.source.quote in quotes]


def project_table(base: FactBase, lang: str) -> FilteredTable:
    """Every project output, with the filters a reader narrows them by."""
    chain_names = {c.id: c for c in base.chains}
    programmes = {p.id: p for p in base.programmes}
    product_names = {o.product.zh: o.product for p in base.projects for o in p.outputs}
    facets = (
        Facet(
            "chain",
            t("col.chain", lang),
            tuple(
                (c.id, pick(chain_names[c.id].name, lang))
                for c in sorted(base.chains, key=lambda c: c.position)
                if base.projects_of(c.id)
            ),
        ),
        Facet(
            "stage",
            t("col.stage", lang),
            tuple(
                (s.value, enum_label(s, lang))
                for s in Stage
                if any(p.stage is s for p in base.projects)
            ),
        ),
        Facet(
            "product",
            t("col.product", lang),
            tuple((zh, pick(product_names[zh], lang)) for zh in sorted(product_names)),
        ),
        Facet(
            "programme",
            t("col.programme", lang),
            tuple(
                (pid, pick(programmes[pid].name, lang))
                for pid in sorted({pid for p in base.projects for pid in p.programmes})
            ),
        ),
    )
    frame, row_facets, ids = _project_rows(base, lang, base.projects, full=True)
    return FilteredTable(
        key="projects-table",
        title_key=N_("projects.table"),
        help=t("projects.table_help", lang),
        facets=facets,
        frame=frame,
        row_facets=row_facets,
        row_records=ids,
        citations={
            p.id: citation(base, lang, p.id, pick(p.name, lang), p.source) for p in base.projects
        },
        csv="projects",
        originals=originals(lang, frame),
        quotes_title=t("projects.sources", lang),
        total=len(base.projects),
        heading=True,
        columns=tuple(t(k, lang) for k in PROJECT_COLUMNS),
    )


def projects(base: FactBase, lang: str) -> PageView:
    """Every project (filterable), capacity by product, stages, national bases, records."""
    energy = [f for f in base.facts if f.topic is Topic.energy]
    holders = [p for p in base.projects if p.records]
    of_project = {p.id: _facts_of_project(p, energy) for p in holders}
    claimed = {f.id for facts in of_project.values() for f in facts}
    rest = [f for f in energy if f.id not in claimed]
    base_cards = []
    for national in base.bases:
        status = enum_label(national.status, lang)
        stated = national.status_as_stated
        # In Chinese the text's words are often the label itself: say it once.
        base_cards.append(
            Card(
                national.id,
                pick(national.name, lang),
                (status,),
                citation(base, lang, national.id, pick(national.name, lang), national.source),
                original="" if stated == status else stated,
            )
        )
    record_sections = []
    for project in holders:
        items = [
            _item(base, lang, project.id, "record", "", pick(r.text, lang), "", r.source)
            for r in project.records
        ]
        record_sections.append(
            Group(
                f"record-{project.id}",
                project.id,
                pick(project.name, lang),
                (
                    *figures(base, lang, of_project[project.id], 2),
                    *records(f"cite-records-{project.id}", items),
                    *((Text(pick(project.note, lang), "caption"),) if project.note else ()),
                ),
                collapsed=False,
            )
        )
    return PageView(
        "projects",
        page_title("projects", lang),
        "",
        _keep(
            [
                section("table", "", project_table(base, lang)),
                section(
                    "capacity",
                    t("projects.capacity", lang),
                    chart_block(
                        base, lang, charts_mod.capacity_by_product, "capacity-t",
                        unit=Unit.t_per_year,
                    ),
                    Text(t("projects.capacity_other_units", lang), "caption"),
                    chart_block(base, lang, charts_mod.projects_by_stage, "stages"),
                ),
                section(
                    "bases",
                    t("projects.bases", lang),
                    Cards(tuple(base_cards), 2) if base_cards else (),
                    figures(base, lang, rest),
                ),
                section("record", t("projects.record", lang), tuple(record_sections)),
            ]
        ),
    )


def livelihood(base: FactBase, lang: str) -> PageView:
    """Jobs, incomes, insurance, rural revitalisation, education and health, priorities."""
    sections = []
    for heading, topics, chart in LIVELIHOOD_GROUPS:
        facts = [f for f in base.facts if f.topic in topics]
        items = [programme_item(base, lang, p) for p in base.programmes if p.topic in topics]
        items += [milestone_item(base, lang, m) for m in base.milestones if m.topic in topics]
        items += [document_item(base, lang, d) for d in base.documents if d.topic in topics]
        sections.append(
            section(
                heading.split(".")[-1],
                t(heading, lang),
                figures(base, lang, facts),
                chart_block(base, lang, charts_mod.BUILDERS[chart], chart.replace("_", "-"))
                if chart
                else (),
                records(f"cite-{heading.split('.')[-1]}", items),
            )
        )
    priorities = [
        records(
            f"cite-pr-{area.value}",
            [
                _item(base, lang, p.id, "priority", "", pick(p.text, lang), "", p.source)
                for p in base.priorities
                if p.area is area
            ],
            enum_label(area, lang),
        )
        for area in Area
    ]
    sections.append(
        section(
            "priorities",
            t("livelihood.priorities", lang),
            *priorities,
            help=t("livelihood.priorities_help", lang),
        )
    )
    return PageView("livelihood", page_title("livelihood", lang), "", _keep(sections))


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
        total=len(rows),
        originals=(t("col.quote", lang),),
    )


# What each qualifier means, for the method section's table; marked for pybabel.
_QUALIFIER_HELP = {
    Qualifier.exact: N_("qualifier_help.exact"),
    Qualifier.at_least: N_("qualifier_help.at_least"),
    Qualifier.approximate: N_("qualifier_help.approximate"),
}


def sources(base: FactBase, lang: str) -> PageView:
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
        _keep(
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


# --------------------------------------------------------------------------- the annotated source

# A line of the source this short, without a full stop, is one of the text's own headings.
HEADING_MAX_CHARS = 30


@dataclass(frozen=True)
class Mark:
    """A record drawn from a run of the source text: its id and what it says there."""

    id: str
    label: str  # the record's label, and its figure when it has one
    erratum: bool = False


@dataclass(frozen=True)
class Span:
    """A run of one paragraph's text with the same marks: plain, quoted, or an uncovered number."""

    text: str
    marks: tuple[Mark, ...] = ()
    uncovered: bool = False  # a number no record covers and no curator's note explains


@dataclass(frozen=True)
class Paragraph:
    """A line of the source as the text has it, with its line number and what was drawn from it."""

    line: int
    heading: bool
    spans: tuple[Span, ...]
    marks: tuple[Mark, ...]  # every record drawn from the paragraph, in order of appearance
    errata: tuple[str, ...]  # the notes of the errata at this line, in the reader's language


@dataclass(frozen=True)
class SourceText:
    """One source, paragraph by paragraph, marked up; or the problem that stopped reading it."""

    source_id: str
    title: str
    file: str
    paragraphs: tuple[Paragraph, ...]
    problem: str = ""

    def paragraph(self, line: int) -> Paragraph | None:
        return next((p for p in self.paragraphs if p.line == line), None)

    def lines_of(self, record_id: str) -> list[int]:
        return [p.line for p in self.paragraphs if any(m.id == record_id for m in p.marks)]


def _mark(base: FactBase, lang: str, record_id: str) -> Mark:
    record = base.by_id(record_id)
    label = pick(record_label(record), lang) if record is not None and record_label(record) else ""
    if isinstance(record, Fact):
        label += (": " if lang == "en" else ":") + format_quantity(record.quantity, lang)
    return Mark(record_id, label or record_id, erratum=record in base.errata)


def source_texts(base: FactBase, lang: str, folder: Path | None = None) -> list[SourceText]:
    """Every source marked up: every quote with the records it backs, every erratum's note at
    its line, and each number that no record covers and no curator's note explains."""
    from haixi import coverage
    from haixi.sources import read_sources

    texts, problems = read_sources(base, Path(folder or sources_dir()))
    account = coverage.account_texts(base, texts)
    found = []
    for source in base.sources:
        holes = [(n.phrase.line, n.phrase.start, n.phrase.end)
                 for n in account.uncovered if n.phrase.source == source.id]
        problem = " ".join(p.message(lang) for p in problems if p.source == source.id)
        found.append(_source_text(base, lang, source.id, texts.get(source.id, ""), holes, problem))
    return found


def _source_text(
    base: FactBase, lang: str, source_id: str, text: str,
    uncovered: Sequence[tuple[int, int, int]], problem: str,
) -> SourceText:
    from haixi.coverage import lines_of

    source = base.source(source_id)
    quotes = [(rid, q.quote) for rid, _path, q in all_quotes(base) if q.source == source_id]
    errata: dict[int, list[str]] = {}
    for erratum in base.errata:
        if erratum.source.source == source_id:
            errata.setdefault(erratum.line, []).append(
                enum_label(erratum.kind, lang) + ": " + pick(erratum.description, lang)
            )
    holes: dict[int, list[tuple[int, int]]] = {}
    for line, start, end in uncovered:
        holes.setdefault(line, []).append((start, end))
    marks_of = {rid: _mark(base, lang, rid) for rid, _ in quotes}
    paragraphs = []
    for number, line in enumerate(lines_of(text) if text else [], start=1):
        if not line.strip():
            continue
        cover: list[list[str]] = [[] for _ in line]
        for rid, quote in quotes:
            start = line.find(quote)
            while quote and start >= 0:
                for i in range(start, start + len(quote)):
                    if rid not in cover[i]:
                        cover[i].append(rid)
                start = line.find(quote, start + 1)
        hole = [False] * len(line)
        for start, end in holes.get(number, ()):
            for i in range(max(0, start), min(len(line), end)):
                hole[i] = True
        spans: list[Span] = []
        begin = 0
        for i in range(1, len(line) + 1):
            if i == len(line) or cover[i] != cover[begin] or hole[i] != hole[begin]:
                spans.append(Span(line[begin:i], tuple(marks_of[r] for r in cover[begin]),
                                  hole[begin]))
                begin = i
        seen = list(dict.fromkeys(r for ids in cover for r in ids))
        stripped = line.strip()
        paragraphs.append(
            Paragraph(
                number,
                len(stripped) <= HEADING_MAX_CHARS and "。" not in stripped
                and not stripped.startswith(("(", "(")),
                tuple(spans),
                tuple(marks_of[r] for r in seen),
                tuple(errata.get(number, ())),
            )
        )
    return SourceText(source.id, pick(source.title, lang), source.file, tuple(paragraphs), problem)


@dataclass(frozen=True, eq=False)
class Annotated:
    """The block of the annotated source text: one marked-up source."""

    text: SourceText


def annotated(base: FactBase, lang: str) -> PageView:
    """Every source as a reader would read a marked-up original, with a legend."""
    texts = source_texts(base, lang)
    marked = sum(1 for x in texts for p in x.paragraphs if p.marks)
    paragraphs = sum(len(x.paragraphs) for x in texts)
    return PageView(
        "text",
        page_title("text", lang),
        nt("text.intro", "text.intro.plural", len(base.sources), lang),
        _keep(
            [
                section(
                    "legend",
                    t("text.legend", lang),
                    Text(t("text.legend_quote", lang), "caption"),
                    Text(t("text.legend_erratum", lang), "caption"),
                    Text(t("text.legend_uncovered", lang), "caption"),
                    Text(nt("text.counts", "text.counts.plural", paragraphs, lang,
                            paragraphs=paragraphs, marked=marked), "caption"),
                ),
                *(section(f"source-{x.source_id}", x.title, Annotated(x)) for x in texts),
            ]
        ),
    )


VIEWS: dict[str, Callable[[FactBase, str], PageView]] = {
    "overview": overview,
    "economy": economy,
    "chains": chains,
    "projects": projects,
    "livelihood": livelihood,
    "sources": sources,
    "text": annotated,
}


def page(name: str, base: FactBase, lang: str) -> PageView:
    """The view of a page by its name."""
    return VIEWS[name](base, lang)


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


# --------------------------------------------------------------------------- a permalink


@dataclass(frozen=True)
class RecordDetail:
    """The record a ?fact= permalink opens: its id, label, figure and every quote."""

    id: str
    label: str
    figure: Figure | None
    details: tuple[str, ...]
    citations: tuple[Citation, ...]
    note: str = ""


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
    return RecordDetail(
        record.id,
        label,
        fig,
        details,
        tuple(citation(base, lang, record.id, label, q) for q in quotes),
        pick(note, lang) if note else "",
    )


# --------------------------------------------------------------------------- for renderers


@dataclass(frozen=True)
class Chrome:
    """What surrounds every page: the sidebar's version line and source note."""

    version: str
    source_note: str
    pages: tuple[tuple[str, str], ...] = field(default=())


def chrome(base: FactBase, lang: str) -> Chrome:
    return Chrome(
        t("sidebar.version", lang, version=base.meta.version,
          released=base.meta.released.isoformat()),
        source_note(base, lang),
        tuple((name, page_title(name, lang)) for name in PAGES),
    )
