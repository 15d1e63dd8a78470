"""The two renderers cannot drift: what a dashboard page shows, the report's section shows too.

Every page is rendered in AppTest with its collapsed groups opened, in both languages, and the
report is built in both languages. Each metric card (label, value, qualifier badges) and each
listed record of a page must appear in the report's section for that page, and the report's
section may link no record that the page does not show.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from haixi import report, views
from haixi.i18n import LANGS
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS
from haixi.render_st import tab_key
from tests.test_app import DASHBOARD, WholePage, trees, unescape

_ICON = re.compile(r":material/[a-z_]+: ")
_SMALL = re.compile(r" ?:small\[[^\]]*\]")
_FACT_PARAM = re.compile(r"fact=([a-z0-9-]+)")


@cache
def base():
    return load(DEFAULT_FACTS)


@cache
def record_ids() -> frozenset[str]:
    b = base()
    return frozenset(r.id for s in ("sources", *views.TABLE_SECTIONS, "chains", "errata")
                     for r in getattr(b, s))


@cache
def built(lang: str) -> str:
    return report.build_report(base(), lang)


class _Text(HTMLParser):
    """The visible text and the record links of an HTML fragment."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: set[str] = set()
        self._skip = 0
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        href = dict(attrs).get("href") or ""
        if href.startswith("#"):
            self.links.add(href[1:])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def dashboard(page: str, lang: str) -> WholePage:
    """The page in AppTest with every collapsed group opened (they are built when opened),
    run once with each of its tabs open (only the open tab is built)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    at.query_params["lang"] = lang
    at.run()
    view = views.page(page, base(), lang)
    groups = [b.key for b in view.blocks() if isinstance(b, views.Group) and b.collapsed]
    labels = [tab.label for tab in at.tabs] or [None]
    runs = []
    for label in labels:
        if label is not None:
            at.session_state[tab_key(page, lang)] = label
        for key in groups:
            at.session_state[key] = True
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        runs.append(at._tree)
    return WholePage(runs)


def _norm(text: str) -> str:
    return " ".join(unescape(_SMALL.sub("", _ICON.sub("", text))).replace("**", "").split())


def shown_on(at: AppTest, page: str):
    """(metric cards, listed lines, record ids) that a reader of the page can see."""
    cards: list[tuple[str, str, list[str]]] = []
    lines: list[str] = []
    ids: set[str] = set()

    def walk(node) -> None:
        if not isinstance(node, Block):
            return
        children = list(node.children.values())
        metrics = [c for c in children if getattr(c, "type", "") == "metric"]
        for metric in metrics:
            captions = [c.value for c in children if getattr(c, "type", "") == "caption"]
            badges = _norm(captions[0]).split(" · ") if captions else []
            cards.append((_norm(metric.label), _norm(metric.value), badges))
        if any(isinstance(c, Block) and c.type == "popover" for c in children):
            for c in children:
                if getattr(c, "type", "") == "markdown" and "\n- " in "\n" + c.value:
                    lines.extend(
                        _norm(line[2:]) for line in c.value.split("\n") if line.startswith("- ")
                    )
        if node.type == "expander":
            match = re.match(r"(\d+)\. ", node.label)
            if match:
                ids.update(c.id for c in base().chains if c.position == int(match.group(1)))
        for child in children:
            walk(child)

    for tree in trees(at):
        walk(tree)
    for link in at.get("page_link"):
        ids.update(_FACT_PARAM.findall(link.proto.query_string))
    for element in at.markdown:
        ids.update(_FACT_PARAM.findall(element.value))
    for element in at.get("html"):  # the annotated source (render_st.source_html)
        ids.update(_FACT_PARAM.findall(element.proto.body))
    for frame in at.dataframe:
        for column in frame.value.columns:
            ids.update(str(v) for v in frame.value[column] if str(v) in record_ids())
    for element in (*at.caption, *at.markdown):
        ids.update(i for i in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", unescape(element.value))
                   if i in record_ids())
    return cards, lines, ids & record_ids()


def drift(shown, section: _Text, page: str) -> list[str]:
    """What the page shows that the report's section lacks, and what only the report shows."""
    cards, lines, page_ids = shown
    text = section.text()
    problems = []
    for label, value, badges in cards:
        for part in (label, value, *badges):
            if part not in text:
                problems.append(f"card {label!r}: {part!r} not in the report's {page}")
    problems += [f"listed {line!r} not in the report's {page}" for line in lines if line not in text]
    extra = (section.links & record_ids()) - page_ids
    if extra:
        problems.append(f"the report's {page} shows records the page does not: {sorted(extra)}")
    return problems


def section_of(html: str, page: str) -> _Text:
    start = html.index(f'<section class="report-section" id="s_{page}">')
    return _Text(html[start : html.index("</section>", start)])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", views.PAGES)
def test_report_section_shows_what_the_page_shows_and_nothing_else(page, lang):
    shown = shown_on(dashboard(page, lang), page)
    cards, lines, page_ids = shown
    assert page_ids, "no record found on the page: the collection is broken"
    assert cards or lines or page in ("sources", "text")
    assert drift(shown, section_of(built(lang), page), page) == []


def test_the_drift_check_fails_on_a_tampered_report():
    """A figure left out of the report, or a record only the report links, is reported."""
    shown = shown_on(dashboard("overview", "en"), "overview")
    label = shown[0][0][0]
    html = built("en")
    assert drift(shown, section_of(html, "overview"), "overview") == []
    missing = html.replace(label, "")
    assert any(label in p for p in drift(shown, section_of(missing, "overview"), "overview"))
    stranger = next(i for i in sorted(record_ids()) if i not in shown[2])
    start = html.index('id="s_overview">')
    extra = html[:start] + f'id="s_overview"><a href="#{stranger}">x</a>' + html[start + 16:]
    assert any(stranger in p for p in drift(shown, section_of(extra, "overview"), "overview"))
