"""AppTest tests of the dashboard: every page in both languages, filters, the language switch,
deep links, hostile URLs and the fact file changing under a running app.

Streamlit quirk: with a `pages/` folder beside dashboard.py, an AppTest run may execute a page
script without dashboard.py; haixi/app.py::_ensure_navigation reruns it through dashboard.py,
so what these tests see is what a browser sees after that rerun.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from haixi import views
from haixi.app import MARKDOWN_TABLE_ROWS, PAGES
from haixi.formatting import format_quantity
from haixi.i18n import CJK, LANGS, enum_label, pick, t
from haixi.loader import load
from haixi.paths import facts_path, sources_dir
from haixi.render_st import OPEN_TABS, tab_key
from haixi.schema import SECTIONS, Stage, Topic

DASHBOARD = "../dashboard.py"  # relative to this file, as AppTest.from_file wants it
FIXTURES = Path(__file__).parent / "fixtures" / "app"

# The plotly charts each page draws (charts built by haixi.app.chart).
CHARTS = {"overview": 0, "economy": 0, "chains": 2, "projects": 2, "livelihood": 3, "sources": 1, "text": 0}

ECONOMY_TOPICS = {Topic.economy, Topic.fiscal, Topic.industry}
LIVELIHOOD_TOPICS = {Topic.employment, Topic.income, Topic.insurance, Topic.rural_revitalisation}

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~$:=^])")


def unescape(text: str) -> str:
    """Undo haixi.app.plain(): the text a reader sees once Markdown has rendered it."""
    return _MD_ESCAPE.sub(r"\1", text)


# The fact file the app shows when a test does not point HAIXI_FACTS elsewhere (read at
# import, before any monkeypatch).
FACTS = facts_path()


@cache
def base():
    """The fact base the app shows when HAIXI_FACTS is not monkeypatched."""
    return load(FACTS)


@cache
def known_chinese() -> str:
    """The source texts and the fact file: Chinese an English page may cite, in quotation marks.

    Without white space, since the errata cite words that a line break splits in the source.
    The fact file is included because an erratum's English description cites the reading
    its Chinese side gives (e.g. "万吨级" for the slip "1万吨吨级").
    """
    texts = [p.read_text(encoding="utf-8") for p in sorted(sources_dir().glob("*.txt"))]
    texts.append(FACTS.read_text(encoding="utf-8"))
    return re.sub(r"\s+", "", "\n".join(texts))


def app_test(page: str = "overview", lang: str | None = None, *,
             tabs: dict[str, str] | None = None, **params) -> AppTest:
    """An AppTest of dashboard.py on `page`, with ?lang= and other query parameters, run once;
    `tabs` (page -> section id) are the section tabs the session has open before it starts."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if tabs:
        at.session_state[OPEN_TABS] = dict(tabs)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    if lang is not None:
        at.query_params["lang"] = lang
    at.query_params.update(params)
    return at.run()


class WholePage:
    """A page run once with each of its tabs open (only the open tab is built): together,
    everything a reader can reach on it. Element lists (``.metric``, ``.markdown``, ``.get()``)
    are every run's, in tab order; widgets found by key are the first run's."""

    def __init__(self, runs: list):
        self.runs = runs

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        found = [getattr(tree, name) for tree in self.runs]
        if name == "get":
            return lambda kind: [e for get in found for e in get(kind)]
        return _Merged(found)


class _Merged(list):
    """Every run's elements of one kind; called with a key, the first run's widget."""

    def __init__(self, lists):
        super().__init__(e for elements in lists for e in elements)
        self._first = lists[0]

    def __call__(self, *args, **kwargs):
        return self._first(*args, **kwargs)


def whole_page(page: str, lang: str | None = None, **params) -> WholePage:
    """`app_test`, then every other tab of the page opened in turn, as a reader clicks them."""
    at = app_test(page, lang, **params)
    runs = [at._tree]
    shown = at.button_group(key="_lang_switch").value if not at.exception else None
    labels = [tab.label for tab in at.tabs]
    if labels and shown:
        key = tab_key(page, shown)
        first = at.session_state[key]
        for label in labels:
            if label != first:
                at.session_state[key] = label
                runs.append(at.run()._tree)
    return WholePage(runs)


def trees(at) -> list:
    """The element trees of an AppTest or of a WholePage's runs."""
    return list(at.runs) if isinstance(at, WholePage) else [at._tree]


def assert_clean(at: AppTest) -> None:
    """No uncaught exception and no st.error on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def titles(at: AppTest) -> list[str]:
    """The page's title(s): of its first run, for a WholePage (every run has it)."""
    return [x.value for x in trees(at)[0].title]


def metric_values(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def metric_labels(at: AppTest) -> list[str]:
    return [unescape(m.label) for m in at.metric]


def infos(at: AppTest) -> list[str]:
    return [unescape(i.value) for i in at.info]


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def dataframe(at: AppTest, key: str):
    """The DataFrame of a page's table, a data grid or a Markdown table (haixi.app.table),
    found by its columns (AppTest does not expose st.dataframe keys)."""
    columns = {
        "projects-table": ("col.id", "col.stage_as_stated", "col.chain_basis"),
        "records-table": ("col.id", "col.section"),
        "errata-table": ("col.id", "col.kind", "col.line", "col.description", "col.quote"),
    }[key]
    for frame in [*(element.value for element in at.dataframe), *markdown_tables(at)]:
        for lang in LANGS:
            if all(t(c, lang) in frame.columns for c in columns):
                return frame
    raise AssertionError(f"no {key} on the page")


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def parse_markdown_table(text: str):
    """A Markdown table (haixi.app.markdown_table) read back as the DataFrame a reader sees."""
    import pandas as pd

    lines = text.strip().split("\n")

    def cells(line: str) -> list[str]:
        return [unescape(c.strip()) for c in _CELL_SPLIT.split(line.strip())[1:-1]]

    assert set(lines[1]) <= set("|-"), f"not a Markdown table: {text[:80]!r}"
    header = cells(lines[0])
    return pd.DataFrame([cells(line) for line in lines[2:]], columns=header, dtype=object)


def is_markdown_table(text: str) -> bool:
    return text.startswith("| ") and "\n|---|" in text


def markdown_tables(at: AppTest) -> list:
    """Every Markdown table on the page (haixi.app.table of a short table), as DataFrames."""
    return [parse_markdown_table(m.value) for m in at.markdown if is_markdown_table(m.value)]


def expanders(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


# --------------------------------------------------------------------------- text collection


def texts(node, path: tuple[str, ...] = ()):
    """(kind, text, path) for every piece of text a reader can see, walking the element tree."""
    if isinstance(node, Block):
        label = None
        if node.type in ("expander", "tab"):
            label = node.label
        elif node.type == "popover":
            label = node.proto.popover.label
        if label is not None:
            yield f"{node.type} label", label, path
        for child in node.children.values():
            yield from texts(child, (*path, node.type))
        return
    kind = node.type
    if kind == "markdown" and is_markdown_table(node.value):
        return  # a table: english_problems reads it cell by cell, like a data grid
    if kind in (
        "markdown",
        "caption",
        "title",
        "subheader",
        "header",
        "info",
        "warning",
        "error",
        "success",
        "text",
        "code",
    ):
        yield kind, node.value, path
    elif kind == "metric":
        yield "metric label", node.label, path
        yield "metric value", node.value, path
        if node.proto.help:
            yield "metric help", node.proto.help, path
    elif kind in ("multiselect", "text_input", "download_button", "page_link", "button"):
        yield f"{kind} label", node.label, path
        if kind == "multiselect":
            for option in node.options:
                yield "multiselect option", option, path
    elif kind == "button_group":
        # The language switch: its options name each language in itself, on purpose.
        yield "button_group label", node.label, path


# Columns whose cells are the source's own words, shown as original in both languages.
def original_columns(lang: str) -> set[str]:
    return {t("col.quote", lang), t("col.stage_as_stated", lang), t("col.stated", lang)}


_ENCLOSED = re.compile(r'"([^"]*)"|“([^“”]*)”|\(([^()]*)\)|「([^「」]*)」')


def untranslated(text: str) -> str | None:
    """The CJK an English reader would see as untranslated, or None.

    Allowed: Markdown quote-block lines ("> ..."), whatever follows "Original:", and Chinese
    in quotation marks or parentheses that the source or the fact file has verbatim (a
    curator's note citing the text's words).
    """
    text = "\n".join(line for line in unescape(text).split("\n") if not line.startswith("> "))
    text = text.split(t("label.original", "en"), 1)[0]

    def keep_unless_verbatim(match: re.Match) -> str:
        inner = next(g for g in match.groups() if g is not None).strip().strip("…").strip()
        if CJK.search(inner) and re.sub(r"\s+", "", inner) in known_chinese():
            return ""
        # Keep the words but not the marks, so the loop cannot match them again.
        return f" {inner} "

    # Innermost first: ("环经济沿着…") is a verbatim quote inside a parenthesis.
    while (stripped := _ENCLOSED.sub(keep_unless_verbatim, text)) != text:
        text = stripped
    found = CJK.findall(text)
    return text if found else None


def english_problems(at: AppTest) -> list[str]:
    problems = []
    for kind, text, path in (x for tree in trees(at) for x in texts(tree)):
        if untranslated(text):
            problems.append(f"{kind} ({'/'.join(path[-3:])}): {text[:160]!r}")
    originals = original_columns("en")
    for frame in [*(element.value for element in at.dataframe), *markdown_tables(at)]:
        for column in frame.columns:
            if CJK.search(str(column)):
                problems.append(f"dataframe column {column!r}")
            if column in originals:
                continue
            for cell in frame[column].astype(str):
                if untranslated(cell):
                    problems.append(f"dataframe {column!r} cell {cell[:120]!r}")
    for index, spec in enumerate(plotly_specs(at)):
        for where, value in _spec_strings(spec):
            # customdata holds the text's own wording ("as stated"), shown as such in hovers.
            if "customdata" in where or "template" in where.split(".")[1:2]:
                continue
            if untranslated(value):
                problems.append(f"chart {index} {where}: {value[:120]!r}")
    return problems


def _spec_strings(obj, where: str = ""):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _spec_strings(value, f"{where}.{key}")
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield from _spec_strings(value, f"{where}[{index}]")
    elif isinstance(obj, str):
        yield where, obj


def test_untranslated_helper_is_precise():
    assert untranslated("> 人均GDP达到17万元") is None
    assert untranslated("Original: 盐湖化工") is None
    assert untranslated("Built · Original: 已建成") is None
    assert untranslated('The text writes "人均GDP" here') is None
    assert untranslated('The text writes "人均GDP" here 了')
    assert untranslated("《A title》")
    assert untranslated("Stage: 已建成")
    assert untranslated('A made-up quote "海西海西海西不在原文"')
    assert untranslated("人均GDP")


# --------------------------------------------------------------------------- every page, both languages


def expected_metrics(page: str) -> list[str]:
    """The fact ids whose metric cards a page's view holds (tests/test_views.py checks which)."""
    view = views.page(page, base(), "en")
    return [
        f.id
        for block in view.blocks()
        if isinstance(block, views.Figures)
        for f in block.figures
        if f.citation is not None and not _in_collapsed_group(view, f.id)
    ]


def _in_collapsed_group(view, record_id: str) -> bool:
    return any(
        isinstance(block, views.Group) and block.collapsed
        and any(isinstance(b, views.Figures) and any(f.id == record_id for f in b.figures)
                for b in block.blocks)
        for section in view.sections for block in section.blocks
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(page, lang):
    at = whole_page(page, lang)
    assert_clean(at)
    assert titles(at) == [t(f"page.{page}", lang)]
    assert not at.info or page == "chains", infos(at)  # chains shows the text's own notes
    assert at.button_group(key="_lang_switch").value == lang

    values, labels = metric_values(at), metric_labels(at)
    for fact_id in expected_metrics(page):
        fact = base().fact(fact_id)
        assert format_quantity(fact.quantity, lang) in values, (fact_id, values)
        assert pick(fact.label, lang) in labels, (fact_id, labels)
    if page == "overview":
        assert len(values) == len(expected_metrics(page))

    specs = plotly_specs(at)
    assert len(specs) == CHARTS[page]
    for spec in specs:
        assert spec["data"], "a chart without traces"

    if lang == "en" and page != "text":
        assert english_problems(at) == []
    elif lang == "en":
        # The annotated source shows the text itself, which stays Chinese: any Chinese on the
        # page must be the source's (or the fact file's) own words.
        stray = [run for problem in english_problems(at) for run in _CJK_RUN.findall(problem)
                 if re.sub(r"\s+", "", run) not in known_chinese()]
        assert stray == []


@pytest.mark.parametrize("page", PAGES)
def test_filters_offer_no_english_only_select_all(page):
    """Streamlit's multiselect adds a "Select all" option that its frontend writes in English
    whatever the page's language; an empty filter shows everything, so it is turned off."""
    at = whole_page(page, "zh")
    assert_clean(at)
    offered = [m.label for m in at.multiselect if m.proto.select_all]
    assert offered == []


_CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—]+")


def popover_markdown(at: AppTest) -> dict[str, str]:
    """The Markdown inside each popover, by the popover's label."""
    found: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, Block):
            if node.type == "popover":
                found[node.proto.popover.label] = "\n".join(
                    child.value for child in node.children.values() if child.type == "markdown"
                )
            for child in node.children.values():
                walk(child)

    for tree in trees(at):
        walk(tree)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_overview_lists_every_milestone_with_its_quote(lang):
    at = app_test("overview", lang)
    assert_clean(at)
    milestones = base().milestones
    listed = [unescape(m.value) for m in at.markdown if m.value.startswith("- **")]
    assert len(listed) == 1
    for milestone in milestones:
        assert pick(milestone.text, lang) in listed[0]
    quotes = popover_markdown(at)[t("cite.button", lang) + f" ({len(milestones)})"]
    for milestone in milestones:
        assert milestone.source.quote in unescape(quotes)
        assert f"(sources?fact={milestone.id}&lang={lang})" in quotes


def listed_records(page: str, lang: str) -> list[tuple[str, str, str]]:
    """(record id, text shown for it, its quote) of every record the page's view lists in a
    card, outside the groups that are built only when opened (tests/test_views.py checks which
    records each view lists)."""
    view = views.page(page, base(), lang)
    found = []
    for section in view.sections:
        for block in section.blocks:
            if isinstance(block, views.Records):
                found += [(i.id, i.text, i.citation.quote) for i in block.items]
            elif isinstance(block, views.Group) and not block.collapsed:
                found += [
                    (i.id, i.text, i.citation.quote)
                    for b in block.blocks if isinstance(b, views.Records) for i in b.items
                ]
    return found


def cards_with_quote_lists(at: AppTest) -> list[tuple[str, str]]:
    """(list Markdown, quote-list Markdown) of every card that holds a popover."""
    found = []

    def walk(node) -> None:
        if not isinstance(node, Block):
            return
        children = list(node.children.values())
        popovers = [c for c in children if isinstance(c, Block) and c.type == "popover"]
        if popovers:
            shown = "\n".join(c.value for c in children if c.type == "markdown")
            for popover in popovers:
                quotes = "\n".join(
                    c.value for c in popover.children.values() if c.type == "markdown"
                )
                found.append((shown, quotes))
        for child in children:
            walk(child)

    for tree in trees(at):
        walk(tree)
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["overview", "economy", "livelihood", "chains", "projects"])
def test_every_listed_record_has_its_quote_and_permalink_in_the_same_card(page, lang):
    at = whole_page(page, lang)
    assert_clean(at)
    records = listed_records(page, lang)
    assert records, f"{page}: the fact base lists nothing here"
    cards = [(unescape(s), unescape(q), q) for s, q in cards_with_quote_lists(at)]
    for record_id, text, quote in records:
        holding = [
            (shown, quotes, raw)
            for shown, quotes, raw in cards
            if text in shown and quote in quotes
        ]
        assert holding, f"{page}/{lang}: {record_id} not listed with its quote"
        assert any(f"(sources?fact={record_id}&lang={lang})" in raw for *_, raw in holding)


def chart_cards(at: AppTest) -> list[list[tuple[int, bool]]]:
    """For the card around each chart: (columns, beside the chart?) of each of its tables."""

    def is_card(node) -> bool:
        proto = getattr(node, "proto", None)
        if proto is None or "flex_container" not in proto.DESCRIPTOR.fields_by_name:
            return False
        return proto.HasField("flex_container") and proto.flex_container.border

    def tables_in(node, in_column: bool, found: list) -> None:
        if isinstance(node, Block):
            for child in node.children.values():
                tables_in(child, in_column or node.type == "column", found)
        elif node.type == "markdown" and is_markdown_table(node.value):
            found.append((len(parse_markdown_table(node.value).columns), in_column))

    cards = []

    def walk(node, card) -> None:
        if isinstance(node, Block):
            inner = node if is_card(node) else card
            for child in node.children.values():
                walk(child, inner)
        elif node.type == "plotly_chart":
            assert card is not None, "a chart outside a card"
            found: list = []
            tables_in(card, False, found)
            cards.append(found)

    for tree in trees(at):
        walk(tree, None)
    return cards


@pytest.mark.parametrize("page", ["economy", "chains", "projects", "livelihood", "sources"])
def test_a_wide_chart_table_goes_under_the_chart_a_narrow_one_beside_it(page):
    at = whole_page(page, "en")
    assert_clean(at)
    cards = chart_cards(at)
    assert len(cards) == len(at.get("plotly_chart"))
    for tables in cards:
        assert len(tables) == 1, tables
        columns, beside = tables[0]
        assert beside == (columns <= 5), (page, columns, beside)


@pytest.mark.parametrize("lang", LANGS)
def test_projects_table_shows_every_output_with_its_capacity(lang):
    at = app_test("projects", lang)
    table = dataframe(at, "projects-table")
    outputs = [(p, o) for p in base().projects for o in p.outputs]
    assert len(table) == len(outputs)
    assert list(table[t("col.id", lang)]) == [p.id for p, _ in outputs]
    assert list(table[t("col.capacity", lang)]) == [
        format_quantity(o.capacity, lang) if o.capacity else "" for _, o in outputs
    ]
    assert list(table[t("col.stage", lang)]) == [enum_label(p.stage, lang) for p, _ in outputs]
    assert list(table[t("col.project", lang)]) == [pick(p.name, lang) for p, _ in outputs]
    assert table.columns[0] == t("col.project", lang)
    heading = t("projects.table", lang, shown=len(base().projects), total=len(base().projects))
    assert heading in [s.value for s in at.header]
    # Short enough for a Markdown table: the page loads no grid code. The long columns are off
    # the page; each project's quote is in the list under the table, built when it is opened.
    assert len(outputs) <= MARKDOWN_TABLE_ROWS and not at.dataframe
    assert t("col.quote", lang) not in table.columns
    assert t("col.programme", lang) not in table.columns
    def quote_list() -> str:
        box = next(e for e in at.expander if e.label == t("projects.sources", lang))
        return "\n".join(unescape(m.value) for m in box.markdown)

    assert quote_list() == ""
    at.session_state["projects-table-quotes"] = True
    at.run()
    assert_clean(at)
    quotes = quote_list()
    missing = [p.id for p in base().projects if p.source.quote not in quotes]
    assert not missing, missing


@pytest.mark.parametrize("lang", LANGS)
def test_chains_page_lists_every_chain_with_its_figures(lang):
    at = app_test("chains", lang)
    chains = sorted(base().chains, key=lambda c: c.position)
    listed = [e for e in expanders(at) if re.match(r"\d+\. ", e)]
    assert len(listed) == len(chains)
    for label, chain in zip(listed, chains, strict=True):
        assert unescape(label).startswith(f"{chain.position}. {pick(chain.name, lang)} · ")
    assert str(len(chains)) in metric_values(at)
    # Collapsed, a chain's expander is empty: the page builds it when it is opened.
    lines = [
        f"**{pick(f.label, lang)}** · {format_quantity(f.quantity, lang)}"
        for f in base().facts
        if f.chain
    ]
    shown = "\n".join(unescape(m.value) for m in at.markdown)
    assert lines and not any(line in shown for line in lines)
    assert all(f.columns[0] != t("col.project", lang) for f in markdown_tables(at))
    for chain in chains:
        at.session_state[f"chain-{chain.id}"] = True
    at.run()
    assert_clean(at)
    markdown = "\n".join(unescape(m.value) for m in at.markdown)
    for fact in base().facts:
        if fact.chain:
            line = f"- **{pick(fact.label, lang)}** · {format_quantity(fact.quantity, lang)}"
            assert line in markdown, line
    # Each chain's projects, one row per output, in the table inside its expander.
    columns = [t(k, lang) for k in ("col.project", "col.company", "col.product",
                                    "col.capacity", "col.stage", "col.chain_basis")]
    tables = [f for f in markdown_tables(at) if list(f.columns) == columns]
    expected = [
        [[pick(p.name, lang), pick(o.product, lang),
          format_quantity(o.capacity, lang) if o.capacity else ""]
         for p in base().projects_of(chain.id) for o in p.outputs]
        for chain in chains
        if base().projects_of(chain.id)
    ]
    assert [
        frame[[columns[0], columns[2], columns[3]]].values.tolist() for frame in tables
    ] == expected


@pytest.mark.parametrize("lang", LANGS)
def test_sources_page_lists_every_record_and_fact_value(lang):
    at = whole_page("sources", lang)
    records = dataframe(at, "records-table")
    facts = records[records[t("col.section", lang)] == t("section.facts", lang)]
    assert list(facts[t("col.id", lang)]) == [f.id for f in base().facts]
    assert list(facts[t("col.value", lang)]) == [
        format_quantity(f.quantity, lang) for f in base().facts
    ]
    assert list(facts[t("col.quote", lang)]) == [f.source.quote for f in base().facts]
    assert t("sources.errata", lang, n=len(base().errata)) in [unescape(s.value) for s in at.header]
    assert len(dataframe(at, "errata-table")) == len(base().errata)
    shown = t("sources.showing", lang, shown=len(records), total=len(records))
    assert shown in [c.value for c in at.caption]


def test_livelihood_charts_plot_the_facts():
    at = whole_page("livelihood", "en")
    specs = plotly_specs(at)
    plotted = [
        y
        for spec in specs
        for trace in spec["data"]
        for y in trace.get("x", []) + trace.get("y", [])
    ]
    for fact_id in (
        "urban-new-jobs-target-completion",
        "rural-labour-transfer-target-completion",
        "urban-disposable-income-growth",
        "rural-disposable-income-growth",
        "medical-insurance-coverage",
    ):
        value = base().fact(fact_id).quantity.value
        assert any(isinstance(v, (int, float)) and abs(v - value) < 1e-6 for v in plotted), (
            fact_id,
            value,
        )


# --------------------------------------------------------------------------- interactions


def negotiating_rows():
    return [p.id for p in base().projects if p.stage is Stage.negotiating for _ in p.outputs]


@pytest.mark.parametrize("lang", LANGS)
def test_stage_in_the_url_filters_the_projects_table(lang):
    at = app_test("projects", lang, stage="negotiating")
    assert_clean(at)
    assert not at.info, infos(at)
    table = dataframe(at, "projects-table")
    assert list(table[t("col.id", lang)]) == negotiating_rows()
    assert set(table[t("col.stage", lang)]) == {enum_label(Stage.negotiating, lang)}
    assert at.multiselect(key="f_stage").value == ["negotiating"]
    shown = len({p for p in negotiating_rows()})
    assert t("projects.table", lang, shown=shown, total=len(base().projects)) in [
        s.value for s in at.header
    ]


def test_filters_set_in_the_page_change_the_table_and_the_url():
    at = app_test("projects", "en")
    all_rows = len(dataframe(at, "projects-table"))

    at.multiselect(key="f_stage").set_value(["filed_and_approved", "trial_production"]).run()
    assert_clean(at)
    wanted = {Stage.filed_and_approved, Stage.trial_production}
    expected = [p.id for p in base().projects if p.stage in wanted for _ in p.outputs]
    assert list(dataframe(at, "projects-table")["ID"]) == expected
    assert at.query_params["stage"] == ["filed_and_approved", "trial_production"]
    assert at.query_params["lang"] == "en"

    # A second filter narrows further (AND across filters).
    chain = next(p.chain for p in base().projects if p.stage is Stage.trial_production)
    at.multiselect(key="f_chain").set_value([chain]).run()
    expected = [
        p.id for p in base().projects if p.stage in wanted and p.chain == chain for _ in p.outputs
    ]
    assert list(dataframe(at, "projects-table")["ID"]) == expected
    assert at.query_params["chain"] == chain

    # Emptying the filters shows everything and drops them from the URL.
    at.multiselect(key="f_stage").set_value([]).run()
    at.multiselect(key="f_chain").set_value([]).run()
    assert len(dataframe(at, "projects-table")) == all_rows
    assert "stage" not in at.query_params and "chain" not in at.query_params


def test_search_box_filters_the_records_and_the_url():
    at = app_test("sources", "zh", tabs={"sources": "records"})
    at.text_input(key="q_q").input("人均GDP").run()
    assert_clean(at)
    shown = dataframe(at, "records-table")
    assert 0 < len(shown) < len(base().facts)
    assert "per-capita-gdp" in list(shown[t("col.id", "zh")])
    assert at.query_params["q"] == "人均GDP"


@pytest.mark.parametrize("page", PAGES)
def test_language_switch_reruns_the_same_page_in_the_other_language(page):
    at = app_test(page, "zh")
    assert titles(at) == [t(f"page.{page}", "zh")]
    switch = at.button_group(key="_lang_switch")
    assert switch.value == "zh"
    switch.set_value("en").run()
    assert_clean(at)
    assert titles(at) == [t(f"page.{page}", "en")]
    assert at.query_params["lang"] == "en"
    assert at.button_group(key="_lang_switch").value == "en"
    at.button_group(key="_lang_switch").set_value("zh").run()
    assert titles(at) == [t(f"page.{page}", "zh")]
    assert at.query_params["lang"] == "zh"


def test_language_switch_keeps_the_filters():
    at = app_test("projects", "zh", stage="negotiating")
    at.button_group(key="_lang_switch").set_value("en").run()
    assert titles(at) == [t("page.projects", "en")]
    assert list(dataframe(at, "projects-table")["ID"]) == negotiating_rows()
    assert at.query_params["stage"] == "negotiating"


TABBED = [name for name in PAGES if views.page(name, base(), "en").tabs]


def tab_sections(page: str, lang: str) -> list:
    """The sections a tabbed page shows as tabs."""
    return list(views.page(page, base(), lang).split()[1])


def filled(at: AppTest) -> list[bool]:
    """For each tab of the page: does its panel hold anything?"""
    return [bool(tab.children) for tab in at.tabs]


def test_the_long_pages_are_tabbed():
    assert set(TABBED) == {"economy", "projects", "livelihood", "sources"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", TABBED)
def test_a_tabbed_page_builds_only_the_open_tab(page, lang):
    at = app_test(page, lang)
    assert_clean(at)
    sections = tab_sections(page, lang)
    assert [unescape(tab.label) for tab in at.tabs] == [s.title for s in sections]
    assert filled(at) == [True] + [False] * (len(sections) - 1)
    # Opening the last tab builds it, and only it; its section's heading leads it.
    at.session_state[tab_key(page, lang)] = at.tabs[-1].label
    at.run()
    assert_clean(at)
    assert filled(at) == [False] * (len(sections) - 1) + [True]
    headers = [unescape(h.value) for h in at.header]
    assert sections[-1].title in headers and sections[0].title not in headers


def test_the_open_tab_is_kept_across_languages_and_pages():
    at = app_test("sources", "en")
    errata = [s.id for s in tab_sections("sources", "en")].index("errata")
    at.session_state[tab_key("sources", "en")] = at.tabs[errata].label
    at.run()
    assert filled(at)[errata]
    at.button_group(key="_lang_switch").set_value("zh").run()
    assert_clean(at)
    assert titles(at) == [t("page.sources", "zh")]
    assert filled(at)[errata]
    assert unescape(at.tabs[errata].label) == t("sources.errata", "zh", n=len(base().errata))
    at.run()  # and it stays open on the next rerun (a filter, a popover)
    assert filled(at)[errata]
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/sources.py").run()
    assert titles(at) == [t("page.sources", "zh")]
    assert filled(at)[errata]
    at.run()
    assert filled(at)[errata]


@pytest.mark.parametrize("param", [{"q": "GDP"}, {"topic": Topic.income.value}])
def test_a_search_or_filter_in_the_url_opens_the_records_tab(param):
    at = app_test("sources", "en", **param)
    assert_clean(at)
    records = [s.id for s in tab_sections("sources", "en")].index("records")
    assert filled(at)[records] and sum(filled(at)) == 1
    assert 0 < len(dataframe(at, "records-table")) < len(base().facts)


def test_the_record_table_offers_the_csv_of_the_rows_its_filters_leave(monkeypatch):
    from haixi import render_st, replay

    # The spy replaces the renderer's csv_button; a replayed part does not call it (its
    # recorded hole draws the button itself), so this run draws without replay.
    monkeypatch.setattr(replay, "ENABLED", False)
    offered = []
    monkeypatch.setattr(render_st, "csv_button",
                        lambda ctx, frame, name: offered.append((name, frame)))
    at = app_test("sources", "en", topic=Topic.income.value)
    assert_clean(at)
    (frame,) = [frame for name, frame in offered if name == "records"]
    shown = dataframe(at, "records-table")
    assert 0 < len(frame) == len(shown) < len(base().facts)
    assert list(frame[t("col.id", "en")]) == list(shown[t("col.id", "en")])
    assert set(frame[t("col.topic", "en")]) == {enum_label(Topic.income, "en")}
    assert t("col.quote", "en") in frame.columns  # every column, as the projects' CSV


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", TABBED)
def test_tab_in_the_url_opens_that_tab(page, lang):
    sections = tab_sections(page, lang)
    at = app_test(page, lang, tab=sections[-1].id)
    assert_clean(at)
    assert filled(at) == [False] * (len(sections) - 1) + [True]
    assert not infos(at)
    assert at.query_params["tab"] == sections[-1].id


@pytest.mark.parametrize("page", TABBED)
def test_opening_a_tab_names_it_in_the_url(page):
    at = app_test(page, "en")
    assert "tab" not in at.query_params  # the first tab is the bare address
    sections = tab_sections(page, "en")
    at.session_state[tab_key(page, "en")] = at.tabs[-1].label
    at.run()
    assert at.query_params["tab"] == sections[-1].id
    at.session_state[tab_key(page, "en")] = at.tabs[0].label
    at.run()
    assert "tab" not in at.query_params
    assert filled(at)[0]


def test_the_tab_in_the_url_survives_a_language_switch():
    at = app_test("economy", "en", tab="documents")
    at.button_group(key="_lang_switch").set_value("zh").run()
    assert_clean(at)
    assert titles(at) == [t("page.economy", "zh")]
    ids = [s.id for s in tab_sections("economy", "zh")]
    assert filled(at)[ids.index("documents")]
    assert at.query_params["tab"] == "documents"
    assert at.query_params["lang"] == "zh"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("value", [["nosuch"], ["documents", "documents"], ["records"]])
def test_a_tab_that_is_not_on_the_page_opens_the_first_with_a_notice(value, lang):
    at = app_test("economy", lang, tab=value)
    assert_clean(at)
    assert filled(at)[0] and sum(filled(at)) == 1
    assert infos(at) == [t("notice.bad_tab", lang, name="tab")]
    assert "tab" not in at.query_params


def test_tab_on_a_page_without_tabs_is_an_unknown_parameter():
    at = app_test("overview", "en", tab="documents")
    assert_clean(at)
    assert infos(at) == [t("notice.unknown_params", "en", names="tab")]


def test_language_without_url_follows_the_session():
    at = app_test("overview", "en")
    del at.query_params["lang"]
    at.switch_page("pages/economy.py").run()
    assert titles(at) == [t("page.economy", "en")]
    assert at.query_params["lang"] == "en"


def sidebar_click(at: AppTest, page: str) -> AppTest:
    """Open `page` as the sidebar does: Streamlit's frontend sends no query string with it."""
    at.query_params.clear()
    return at.switch_page(f"pages/{page}.py").run()


@pytest.mark.parametrize("lang", LANGS)
def test_the_chosen_language_is_written_to_the_address_on_every_page(lang):
    """A reader who chose a language keeps it in the address on every page they click to, so
    another server process (a replica, after theirs was lost) or a copied link shows it."""
    other = next(code for code in LANGS if code != lang)
    at = app_test("overview", other)
    at.button_group(key="_lang_switch").set_value(lang).run()
    for page in PAGES:
        sidebar_click(at, page)
        assert_clean(at)
        assert titles(at) == [t(f"page.{page}", lang)]
        assert at.query_params["lang"] == lang, page
        # A new process knows nothing of the session: only the address the browser re-sends.
        fresh = app_test(page, **dict(at.query_params))
        assert titles(fresh) == [t(f"page.{page}", lang)], page
        assert fresh.button_group(key="_lang_switch").value == lang


def test_filters_and_tab_survive_a_new_process_with_the_language():
    at = app_test("projects", "zh", stage="negotiating")
    at.button_group(key="_lang_switch").set_value("en").run()
    at.session_state[tab_key("projects", "en")] = at.tabs[-1].label
    at.run()
    address = dict(at.query_params)
    assert address["lang"] == "en" and address["stage"] == "negotiating" and "tab" in address
    fresh = app_test("projects", **address)
    assert_clean(fresh)
    assert titles(fresh) == [t("page.projects", "en")]
    assert fresh.multiselect(key="f_stage").value == ["negotiating"]
    assert filled(fresh) == filled(at) and filled(fresh)[-1]
    assert dict(fresh.query_params) == address


def test_a_first_visit_writes_the_browsers_language_to_the_address():
    at = app_test("economy")  # no ?lang=, no browser locale under AppTest: the default
    assert_clean(at)
    assert at.query_params["lang"] == "zh"
    assert titles(at) == [t("page.economy", "zh")]


@pytest.mark.parametrize(("given", "lang"), [("EN", "en"), ("zh-CN", "zh"), ("en_US", "en")])
def test_a_language_tag_is_written_back_in_its_short_form(given, lang):
    at = app_test("livelihood", given)
    assert_clean(at)
    assert not infos(at)
    assert at.query_params["lang"] == lang


@pytest.mark.parametrize("given", ["xx", "", ["zh", "en"]])
def test_an_ignored_language_is_replaced_in_the_address_by_the_one_shown(given):
    at = app_test("chains", "en")
    at.query_params["lang"] = given
    at.run()
    assert titles(at) == [t("page.chains", "en")]  # the session's choice
    assert len(infos(at)) == 1  # the notice says the value was ignored
    assert at.query_params["lang"] == "en"


@pytest.mark.parametrize("lang", LANGS)
def test_fact_permalink_from_overview_lands_on_sources_with_the_quote(lang):
    at = app_test("overview", lang, fact="per-capita-gdp")
    assert_clean(at)
    assert titles(at) == [t("page.sources", lang)]
    assert at.query_params == {"fact": "per-capita-gdp", "lang": lang}
    assert "> 人均GDP达到17万元" in [unescape(m.value) for m in at.markdown]
    fact = base().fact("per-capita-gdp")
    assert format_quantity(fact.quantity, lang) in metric_values(at)


def _one_record_per_section():
    fact_base = base()
    ids = []
    for section in SECTIONS:
        records = getattr(fact_base, section)
        if records:
            ids.append(records[-1].id)
    return ids


@pytest.mark.parametrize("record_id", _one_record_per_section())
def test_permalink_to_any_kind_of_record(record_id):
    at = app_test("sources", "en", fact=record_id)
    assert_clean(at)
    assert t("notice.unknown_fact", "en") not in infos(at)
    pinned = [unescape(m.value) for m in at.markdown if ":material/push_pin:" in m.value]
    assert pinned == [f"## :material/push_pin: {record_id}"]
    from haixi.schema import all_quotes

    for rid, _path, quote in all_quotes(base()):
        if rid == record_id:
            assert f"> {quote.quote}" in [unescape(m.value) for m in at.markdown]


# --------------------------------------------------------------------------- hostile URLs

LONG = "x" * 5000
HOSTILE = {
    "lang=xx": ({"lang": "xx"}, "notice.bad_lang"),
    "lang empty": ({"lang": ""}, "notice.bad_lang"),
    "lang repeated": ({"lang": ["zh", "en"]}, "notice.repeated_lang"),
    "lang 5000 chars": ({"lang": "e" * 5000}, "notice.bad_lang"),
    "stage=bogus": ({"stage": "bogus"}, None),
    "foo=1": ({"foo": "1"}, "notice.unknown_params"),
    "fact=nope": ({"fact": "nope"}, "notice.unknown_fact"),
    "q 5000 chars": ({"q": LONG}, None),
    "q=<script>": ({"q": "<script>alert(1)</script>"}, None),
    "html name": ({"<b>x</b>": "1"}, "notice.unknown_params"),
    "stage=<img>": ({"stage": "<img src=x onerror=alert(1)>"}, None),
}


def expected_notice(page: str, params: dict, key: str | None) -> str:
    """The notice (zh: no valid ?lang=, so the default language) a hostile URL must show."""
    if key == "notice.unknown_params":
        return t(key, "zh", names=next(iter(params)))
    if key is not None:
        return t(key, "zh")
    name = next(iter(params))
    known = {"projects": ("chain", "stage", "product", "programme"), "sources": ("q", "topic")}
    if name in known.get(page, ()):
        return t("notice.bad_param", "zh", name=name)
    return t("notice.unknown_params", "zh", names=name)


@pytest.mark.parametrize("case", HOSTILE)
@pytest.mark.parametrize("page", PAGES)
def test_hostile_url_renders_defaults_with_a_notice(page, case):
    params, key = HOSTILE[case]
    at = app_test(page, tabs={"sources": "records"}, **params)
    assert_clean(at)
    # A permalink opens Sources and method, except on the annotated source, which reads it.
    target = "sources" if "fact" in params and page != "text" else page
    assert titles(at) == [t(f"page.{target}", "zh")]
    if page == "sources" and case == "q=<script>":
        # A valid (if odd) search: shown literally in the box, matching no record.
        assert at.text_input(key="q_q").value == "<script>alert(1)</script>"
        assert len(dataframe(at, "records-table")) == 0
        return
    assert expected_notice(page, params, key) in infos(at)
    if target == "projects":
        assert len(dataframe(at, "projects-table")) == sum(len(p.outputs) for p in base().projects)
        assert all(m.value == [] for m in at.multiselect)
    if target == "sources":
        assert at.text_input(key="q_q").value == ""
    # Nothing from the URL reaches the page as markup.
    for _kind, text, _path in texts(at._tree):
        assert "<script" not in text and "<img" not in text and "<b>" not in text, text


def test_url_with_every_hostile_value_at_once():
    params = {k: v for case in HOSTILE.values() for k, v in case[0].items() if k != "fact"}
    for page in PAGES:
        at = app_test(page, **params)
        assert_clean(at)
        assert titles(at) == [t(f"page.{page}", "zh")]
        assert at.info


# --------------------------------------------------------------------------- the fact file


def copy_facts(tmp_path: Path, name: str = "facts.yaml") -> Path:
    target = tmp_path / name
    shutil.copyfile(FACTS, target)
    return target


def rewrite(path: Path, old: str, new: str) -> None:
    """Replace text in the fact file and move its mtime on, so the cache sees a new version."""
    before = path.stat().st_mtime_ns
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    bump = max(before, path.stat().st_mtime_ns) + 1_000_000_000
    os.utime(path, ns=(bump, bump))


GDP_LABEL = "label: {zh: 人均GDP, en: Per-capita GDP}"
GDP_UNIT = "quantity: {value: 170000, unit: yuan, stated: 17万元, qualifier: exact}"


@pytest.mark.parametrize("lang", LANGS)
def test_edited_fact_file_is_shown(tmp_path, monkeypatch, lang):
    facts = copy_facts(tmp_path)
    rewrite(facts, GDP_LABEL, "label: {zh: 人均地区生产总值, en: GDP per head (edited)}")
    monkeypatch.setenv("HAIXI_FACTS", str(facts))
    at = app_test("overview", lang)
    assert_clean(at)
    edited = {"zh": "人均地区生产总值", "en": "GDP per head (edited)"}[lang]
    assert edited in metric_labels(at)


@pytest.mark.parametrize("page", ["overview", "economy"])
def test_a_milestones_note_is_shown_wherever_it_is_listed(tmp_path, monkeypatch, page):
    """A curator's note on a milestone goes with it on every page that lists it."""
    facts = copy_facts(tmp_path)
    rewrite(
        facts,
        "    period: 2022\n    topic: economy\n    source: {source: qaidam-new-era-2022, quote: "
        "顺利实现",
        "    period: 2022\n    note: {zh: 编者注：测试, en: 'Curator: test note'}\n"
        "    topic: economy\n    source: {source: qaidam-new-era-2022, quote: 顺利实现",
    )
    monkeypatch.setenv("HAIXI_FACTS", str(facts))
    at = whole_page(page, "en")
    assert_clean(at)
    lists = [  # the record list, not the quote list in its popover
        unescape(m.value)
        for m in at.markdown
        if "Met the three targets" in m.value and "sources?fact=" not in m.value
    ]
    assert len(lists) == 1
    assert "(Curator: test note)" in lists[0]


def test_invalid_edit_keeps_the_last_valid_version_with_a_warning(tmp_path, monkeypatch):
    facts = copy_facts(tmp_path)
    original = facts.read_text(encoding="utf-8")
    rewrite(facts, GDP_LABEL, "label: {zh: 人均GDP, en: Per-capita GDP (v2)}")
    monkeypatch.setenv("HAIXI_FACTS", str(facts))
    at = app_test("overview", "en")
    assert_clean(at)
    assert "Per-capita GDP (v2)" in metric_labels(at)
    assert t("warn.stale_title", "en") not in expanders(at)

    # Break the file: an unknown unit and a fact without a quote.
    rewrite(facts, GDP_UNIT, GDP_UNIT.replace("unit: yuan", "unit: dollars"))
    at.run()
    assert_clean(at)
    assert t("warn.stale_title", "en") in expanders(at)
    warning = at.expander[expanders(at).index(t("warn.stale_title", "en"))]
    assert t("warn.stale", "en") in [w.value for w in warning.warning]
    problems = "\n".join(x.value for x in warning.text)
    assert "dollars" in problems
    assert "facts.0" in problems or "line" in problems.lower()
    # ... while the page still shows the last valid data.
    assert titles(at) == [t("page.overview", "en")]
    assert "Per-capita GDP (v2)" in metric_labels(at)
    assert format_quantity(base().fact("per-capita-gdp").quantity, "en") in metric_values(at)

    # The other pages warn too.
    at.switch_page("pages/projects.py").run()
    assert_clean(at)
    assert t("warn.stale_title", "en") in expanders(at)
    assert len(dataframe(at, "projects-table")) == sum(len(p.outputs) for p in base().projects)

    # Restoring a valid file clears the warning.
    facts.write_text(
        original.replace(GDP_LABEL, "label: {zh: 人均GDP, en: Per-capita GDP (v3)}"),
        encoding="utf-8",
    )
    bump = facts.stat().st_mtime_ns + 2_000_000_000
    os.utime(facts, ns=(bump, bump))
    at.switch_page("pages/overview.py").run()
    assert_clean(at)
    assert t("warn.stale_title", "en") not in expanders(at)
    assert "Per-capita GDP (v3)" in metric_labels(at)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_never_valid_fact_file_shows_an_error_page(tmp_path, monkeypatch, page, lang):
    broken = tmp_path / f"never-valid-{page}-{lang}.yaml"
    shutil.copyfile(FIXTURES / "never-valid.yaml", broken)
    monkeypatch.setenv("HAIXI_FACTS", str(broken))
    at = app_test(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [t("error.load_title", lang)]
    problems = "\n".join(x.value for x in at.text)
    assert "dollars" in problems and "released" in problems, problems
    assert "Traceback" not in problems
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    # The language switch still works on the error page.
    assert at.button_group(key="_lang_switch").value == lang


def test_missing_fact_file_shows_an_error_page(tmp_path, monkeypatch):
    monkeypatch.setenv("HAIXI_FACTS", str(tmp_path / "nowhere.yaml"))
    at = app_test("overview", "en")
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.load_title", "en")]
    assert "nowhere.yaml" in "\n".join(x.value for x in at.text)


@pytest.mark.parametrize("page", PAGES)
def test_smaller_valid_fact_base_renders_every_page(tmp_path, monkeypatch, page):
    small = tmp_path / f"minimal-{page}.yaml"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "minimal.yaml", small)
    monkeypatch.setenv("HAIXI_FACTS", str(small))
    at = whole_page(page, "en")
    assert_clean(at)
    assert titles(at) == [t(f"page.{page}", "en")]
    # A chart whose records are missing says so instead of disappearing silently.
    missing = t("notice.chart_data_missing", "en")
    drawn = len(at.get("plotly_chart"))
    notices = sum(1 for i in at.info if i.value == missing)
    assert drawn + notices == CHARTS[page], (drawn, notices)


@pytest.mark.parametrize("lang", LANGS)
def test_chart_tables_show_the_readers_columns(lang):
    at = whole_page("livelihood", lang)
    assert_clean(at)
    figures = {t(k, lang) for k in ("col.label", "col.value", "col.stated", "col.qualifier")}
    machine = {t(k, lang) for k in ("col.fact_id", "col.value_raw", "col.unit")}
    tables = markdown_tables(at)
    assert len(tables) == CHARTS["livelihood"]
    facts = {pick(f.label, lang): f for f in base().facts}
    for frame in tables:
        assert figures <= set(frame.columns) and not machine & set(frame.columns)
        for label, value in zip(frame[t("col.label", lang)], frame[t("col.value", lang)],
                                strict=True):
            assert value == format_quantity(facts[label].quantity, lang)


def test_markdown_table_shows_every_cell_literally():
    import pandas as pd

    from haixi.app import markdown_table

    hostile = [
        "a|b",
        "<script>alert(1)</script>",
        "**not bold** [not a link](x)",
        "two\nlines",
        "back\\slash\\",
        "",
    ]
    frame = pd.DataFrame({"text | col": hostile, "n": [1, 2.5, None, float("nan"), -0.0, 3]})
    text = markdown_table(frame)
    assert len(text.split("\n")) == 2 + len(frame)  # one line per row: no cell broke a row
    shown = parse_markdown_table(text)
    assert list(shown.columns) == ["text | col", "n"]
    assert list(shown["text | col"]) == [" ".join(h.split()) for h in hostile]
    assert list(shown["n"]) == ["1.0", "2.5", "", "", "-0.0", "3.0"]

    # pandas' own missing values, in nullable and datetime columns, are empty cells too.
    missing = pd.DataFrame(
        {
            "i": pd.array([1, None], dtype="Int64"),
            "s": pd.array(["x", None], dtype="string"),
            "d": pd.to_datetime(["2022-01-01", None]),
        }
    )
    shown = parse_markdown_table(markdown_table(missing))
    assert shown.iloc[1].tolist() == ["", "", ""]
    assert shown.iloc[0].tolist() == ["1", "x", "2022-01-01 00:00:00"]


def test_long_tables_get_the_data_grid():
    at = whole_page("sources", "en")
    assert_clean(at)
    from haixi.app import MARKDOWN_TABLE_ROWS

    # The qualifiers (one row each) are a Markdown table; all records are a scrolling grid.
    qualifiers = [f for f in markdown_tables(at) if t("col.qualifier", "en") in f.columns]
    assert len(qualifiers) == 1 and len(qualifiers[0]) <= MARKDOWN_TABLE_ROWS
    assert len(dataframe(at, "records-table")) > MARKDOWN_TABLE_ROWS


def test_chart_csv_keeps_every_column_and_the_version():
    import io

    import pandas as pd

    from haixi.app import versioned_csv
    from haixi.charts import employment_vs_target
    from haixi.views import display_table

    chart = employment_vs_target(base(), "en")
    frame = pd.read_csv(io.BytesIO(versioned_csv(base(), chart.data)), dtype=str)
    assert list(frame.columns) == [*chart.data.columns, "fact_base_version", "fact_base_released"]
    assert set(frame["fact_base_version"]) == {base().meta.version}
    assert list(frame[t("col.fact_id", "en")]) == list(chart.fact_ids)
    shown = display_table(chart.data, "en")
    assert t("col.fact_id", "en") not in shown.columns and len(shown) == len(chart.data)


def test_links_name_this_runs_page_under_the_navigation_and_its_script_alone():
    from haixi import app

    page = object()  # stands in for dashboard.py's st.Page of the sources page
    assert app.page_target("sources") == app.page_path("sources")
    with app.through_navigation({"sources": page}):
        assert app.page_target("sources") is page
        assert app.page_target("text") == app.page_path("text")  # not given: its script
    assert app.page_target("sources") == app.page_path("sources")
