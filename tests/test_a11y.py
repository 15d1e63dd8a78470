"""axe-core over a filtered page with a popover open and a permalink card; the keyboard alone.

WCAG 2.1 A/AA and best-practice rules (heading-order among them): no violation of impact
serious or critical and no heading-order one; moderate and minor ones are printed (run pytest
with -s to see them). Every page in both languages and the offline report are checked by their
visits in tests/test_pages_browser.py. The keyboard tests tab through the projects page and the
sources page's section tabs with the keyboard alone.
"""

from __future__ import annotations

import re

import pytest

from haixi.i18n import LANGS, enum_label, t
from haixi.schema import Stage
from tests.browser import (
    MAIN,
    POPOVER_BODY,
    TIMEOUT,
    WIDE,
    check_axe,
    open_tab,
    real_fact_base,
    tab_labels,
    wait_for_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_filtered_projects_with_a_popover_open_have_no_serious_axe_violations(
    dashboard_server, wide_page, lang
):
    wide_page.goto(f"{dashboard_server.url}projects?lang={lang}&stage={Stage.started.value}")
    wait_for_app(wide_page)
    open_tab(wide_page, tab_labels(wide_page).index(t("projects.record", lang)))
    button = wide_page.locator(f"{MAIN} [data-testid='stPopover'] button").filter(
        has_text=t("cite.button", lang)
    )
    button.first.click()
    wide_page.locator(POPOVER_BODY).locator("blockquote").first.wait_for(timeout=TIMEOUT)
    check_axe(wide_page, f"/projects?stage=started&lang={lang}, popover open")


def test_permalink_card_has_no_serious_axe_violations(dashboard_server, wide_page):
    wide_page.goto(f"{dashboard_server.url}sources?fact=per-capita-gdp&lang=en")
    wait_for_app(wide_page)
    wide_page.locator(f"{MAIN} h2").filter(has_text="per-capita-gdp").wait_for(timeout=TIMEOUT)
    check_axe(wide_page, "/sources?fact=per-capita-gdp&lang=en")


# --------------------------------------------------------------------------- keyboard


def focused(page) -> dict:
    """The focused element's tag, role, name-ish text and test id."""
    return page.evaluate(
        """() => {
            const e = document.activeElement;
            if (!e) return {};
            const box = e.closest('[data-testid]');
            return {
                tag: e.tagName.toLowerCase(),
                role: e.getAttribute('role') || '',
                text: (e.innerText || e.getAttribute('aria-label') || e.value || '').trim(),
                testid: box ? box.getAttribute('data-testid') : '',
                inSidebar: !!e.closest("[data-testid='stSidebar']"),
                inDownload: !!e.closest("[data-testid='stDownloadButton']"),
            };
        }"""
    )


def tab_to(page, matches, limit: int = 250, shift: bool = False) -> dict:
    """Press Tab until the focused element satisfies `matches`; return it (fails after `limit`)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
        now = focused(page)
        if matches(now):
            return now
        seen.append(now)
    raise AssertionError(f"never focused by Tab; the last stops were {seen[-8:]}")


def test_projects_page_works_with_the_keyboard_alone(dashboard_server, wide_page):
    page = wide_page
    page.goto(f"{dashboard_server.url}projects?lang=zh")
    wait_for_app(page)
    rows_before = len(real_fact_base().projects)
    page.locator("body").focus()

    # The language switch: a radio group in the sidebar; arrows move, Space picks.
    tab_to(page, lambda f: f["inSidebar"] and f["role"] == "radio")
    for _ in range(2):
        if focused(page)["text"] == "English":
            break
        page.keyboard.press("ArrowRight")
    if focused(page)["text"] != "English":
        tab_to(page, lambda f: f["inSidebar"] and f["text"] == "English")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"lang=en"), timeout=TIMEOUT)
    wait_for_app(page)
    page.locator(f"{MAIN} h1").filter(has_text=t("page.projects", "en")).wait_for(timeout=TIMEOUT)

    # A filter: the stage multiselect; type to narrow, Enter picks, Escape closes.
    stage = enum_label(Stage.started, "en")
    page.locator("body").focus()
    stage_filter = t("col.stage", "en")
    tab_to(page, lambda f: f["role"] == "combobox" and f["text"] == stage_filter)
    page.keyboard.type(stage)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"stage=started"), timeout=TIMEOUT)
    wait_for_app(page)
    expected = sum(1 for p in real_fact_base().projects if p.stage is Stage.started)
    heading = t("projects.table", "en", shown=expected, total=rows_before)
    page.locator(f"{MAIN} h2, {MAIN} h3").filter(has_text=heading).wait_for(timeout=TIMEOUT)
    assert expected < rows_before

    # A section tab: Tab reaches the open one, the arrow keys open another.
    tab_to(page, lambda f: f["role"] == "tab")
    labels = tab_labels(page)
    open_tab(page, labels.index(t("projects.record", "en")), keyboard=True)

    # A quote popover: Enter on its button opens it.
    tab_to(page, lambda f: f["tag"] == "button" and t("cite.button", "en") in f["text"])
    page.keyboard.press("Enter")
    page.locator(POPOVER_BODY).locator("blockquote").first.wait_for(timeout=TIMEOUT)
    page.keyboard.press("Escape")
    page.locator(POPOVER_BODY).wait_for(state="hidden", timeout=TIMEOUT)

    # The CSV download of a chart's data: reachable, and Enter downloads it.
    tab_to(page, lambda f: f["inDownload"] and f["tag"] == "button")
    with page.expect_download(timeout=TIMEOUT) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")


def test_section_tabs_work_with_the_keyboard_alone(dashboard_server, wide_page):
    """The arrow keys open another section tab, which is then built and shown."""
    page = wide_page
    page.goto(f"{dashboard_server.url}sources?lang=en")
    wait_for_app(page)
    labels = tab_labels(page)
    errata = next(i for i, label in enumerate(labels) if label.startswith("Errata"))
    tab_to(page, lambda f: f["role"] == "tab")
    open_tab(page, errata, keyboard=True)
    selected = page.locator(f"{MAIN} [role='tab'][aria-selected='true']").inner_text()
    assert selected.strip() == labels[errata]
    assert page.locator(f"{MAIN} [data-testid='stDataFrame']").count() == 1  # the errata grid
    check_axe(page, "/sources?lang=en, the errata tab opened by keyboard")
