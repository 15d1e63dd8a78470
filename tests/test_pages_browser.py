"""Every page in both languages, visited once in headless Chromium.

One visit per page and language (tests/browser.py, `visit`) opens every section tab and
collects what every page-wide check needs: no exception element or error alert, every chart
drawn and big enough with its text alternative beside it, the metric cards (none cut off), the
language of the text, axe-core (WCAG 2.1 A/AA and best practice: nothing serious or critical, no
heading-order violation; the others are printed, run with -s), no request to another host, the
element census the capacity benchmark's protocol client must match, and a screenshot per tab
(`make screenshots` runs only these: `-k screenshot`).

The server is the hosted demo's (tests/hosted.py): a bare clone of the tracked files, a venv of
requirements.txt alone, none of our environment, as Streamlit Community Cloud runs it. So every
visit also checks the demo: the sources ship in data/sources/, and the overview's first quote
shows its source line ("第N行" / "line N"). One visit per page and language, not one more for
the demo (it had its own seven, 46 s of CI).
"""

from __future__ import annotations

import pytest

from bench.protocol import run_once
from haixi import views
from haixi.app import PAGES
from haixi.charts import BUILDERS
from haixi.formatting import format_quantity
from haixi.i18n import LANGS, t
from tests.browser import (
    LOCALES,
    MAIN,
    POPOVER_BODY,
    TIMEOUT,
    page_problems,
    real_fact_base,
    shipped_line_of,
    visit,
)

pytestmark = pytest.mark.browser

# Plotly charts each page draws at least, over all its tabs.
CHARTS = {"overview": 0, "economy": 0, "chains": 2, "projects": 2, "livelihood": 3, "sources": 1,
          "text": 0}
# Metric cards each page shows at least (sources shows one only for a ?fact= permalink).
METRICS = {"overview": 4, "economy": 4, "chains": 2, "projects": 3, "livelihood": 9, "sources": 0,
           "text": 0}


def first_quote(page) -> str:
    """Open the page's first quote popover; its text."""
    page.locator(f"{MAIN} [data-testid='stPopover'] button").first.click()
    body = page.locator(POPOVER_BODY)
    body.wait_for(timeout=TIMEOUT)
    return body.inner_text()


def test_the_clone_has_no_environment_of_ours(bare_clone):
    assert (bare_clone / "data" / "sources" / "qaidam-new-era-2022.txt").is_file()
    assert not (bare_clone / ".venv").exists()
    assert not (bare_clone.parent / "shared").exists()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_page_visit_screenshot(hosted, browser, name, lang):
    # The overview's first card is a headline figure: its quote names its source line.
    then = first_quote if name == "overview" else None
    seen = visit(browser, f"{hosted.url}{name}?lang={lang}", locale=LOCALES[lang],
                 screenshot=f"{name}-{lang}", then=then)
    base = real_fact_base()
    summaries = {BUILDERS[chart](base, lang).summary for chart in BUILDERS}
    problems = page_problems(seen, name, lang, f"127.0.0.1:{hosted.port}", summaries)

    def expect(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    charts = sum(tab.charts for tab in seen.tabs)
    metrics = [value for tab in seen.tabs for value in tab.metrics]
    expect(charts >= CHARTS[name], f"{charts} charts, fewer than {CHARTS[name]}")
    expect(len(metrics) >= METRICS[name], f"{len(metrics)} metrics: {metrics}")
    if name == "overview":
        first = next(block for section in views.page(name, base, lang).sections
                     for block in section.blocks if isinstance(block, views.Figures))
        quote = first.figures[0].citation.quote
        where = t("cite.line", lang, line=shipped_line_of(quote))
        expect(quote in seen.then and where in seen.then,
               f"the first quote lacks {quote!r} or {where!r}: {seen.then!r}")
        for fact in base.facts:
            if fact.headline:
                value = format_quantity(fact.quantity, lang)
                expect(value in metrics, f"headline {fact.id} ({value}) not among the metrics")
    # The capacity benchmark's protocol client mounts, per root, what Chromium mounted on the
    # page as first drawn (elements in a popover are mounted only when it opens, in both): a
    # simulated open is a real page (bench/; was a census test of its own in test_capacity).
    run = run_once(hosted.url, name, lang)
    for root in ("main", "sidebar"):
        browser_count = seen.census[root].get("stElementContainer", 0)
        expect(run.mounted.get(root, 0) == browser_count,
               f"{root}: the protocol client mounts {run.mounted.get(root, 0)} elements, "
               f"Chromium {browser_count}")
    assert not problems, "\n".join(problems)
