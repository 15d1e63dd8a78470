"""What each page shows, decided once: fact base + language in, plain dataclasses out.

One module per page view (overview, economy, chains, projects, livelihood, sources, text), the
blocks they are built of (blocks), the record a ?fact= permalink pins (permalink) and what
surrounds every page (chrome, the sidebar). Every choice of which records a page shows, in what order and in
what words lives here and only here; the Streamlit pages (haixi.render_st) and the offline
report (haixi.report) draw these views and decide nothing. No Streamlit, no HTML, no Markdown:
every string is plain text, and each renderer escapes it for its own medium.

This package re-exports the blocks and the names the renderers and tests use, so
`views.page(name, base, lang)`, `views.PageView` and the like keep working; a page's own view is
`views.page(name, ...)` (or `views.<page>.view`), since the page modules own those names; the
sidebar's is `views.chrome.view`.
"""

from __future__ import annotations

from collections.abc import Callable

from haixi.schema import FactBase
from haixi.views import (
    chains,
    chrome,
    economy,
    livelihood,
    overview,
    permalink,
    projects,
    sources,
    text,
)
from haixi.views.blocks import *  # noqa: F403 - the blocks are the package's vocabulary
from haixi.views.blocks import PAGES, TAB_PARAM, TABBED_PAGES, PageView, Pinned, Request
from haixi.views.chrome import Chrome
from haixi.views.permalink import RecordDetail, record_detail
from haixi.views.projects import PROJECT_COLUMNS, PROJECT_FILTERS, project_table
from haixi.views.sources import (
    RECORD_FILTERS,
    TABLE_SECTIONS,
    citation_text,
    coverage_blocks,
    discrepancy_blocks,
    record_table,
    source_notices,
)
from haixi.views.text import (
    HEADING_MAX_CHARS,
    Annotated,
    Mark,
    Paragraph,
    Passage,
    SourceChoice,
    SourceText,
    Span,
    source_texts,
)

# Each page's module, in the pages' order.
MODULES = {
    "overview": overview,
    "economy": economy,
    "chains": chains,
    "projects": projects,
    "livelihood": livelihood,
    "sources": sources,
    "text": text,
}
assert tuple(MODULES) == PAGES

VIEWS: dict[str, Callable[[FactBase, str], PageView]] = {n: m.view for n, m in MODULES.items()}

# What a request pins above a page, for the pages that pin anything: the Sources page the record
# a ?fact= permalink names, the text page the passage a ?source=&line= or ?fact= link asks for.
PINS: dict[str, Callable[[FactBase, str, Request, PageView], Pinned]] = {
    "sources": permalink.pinned,
    "text": text.pinned,
}


def _and_tab(params: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """`params`, with ?tab= added for every page in TABBED_PAGES."""
    names = dict.fromkeys([*params, *TABBED_PAGES])
    return {n: (*params.get(n, ()), *((TAB_PARAM,) if n in TABBED_PAGES else ())) for n in names}


# URL parameters each page reads (besides lang and fact), and which may repeat; a tabbed page
# also reads ?tab=, whose repeats its reader (render_st.section_tabs) reports itself.
PAGE_PARAMS = _and_tab({n: m.PARAMS for n, m in MODULES.items() if getattr(m, "PARAMS", ())})
MULTI_PARAMS = _and_tab({n: m.MULTI_PARAMS for n, m in MODULES.items()
                         if getattr(m, "MULTI_PARAMS", ())})


def page(name: str, base: FactBase, lang: str) -> PageView:
    """The view of a page by its name."""
    return VIEWS[name](base, lang)


def pinned(name: str, base: FactBase, lang: str, request: Request, view: PageView) -> Pinned:
    """What the request pins above the page `view` (the page's own view, as cached): the
    notices it raises, the panels to draw before the intro, the sections it hides."""
    pins = PINS.get(name)
    return pins(base, lang, request, view) if pins else Pinned()
