"""Real-browser tests of the dashboard's interactions in headless Chromium: phone width, the
language switch, deep links, popovers, downloads, hostile URLs and fact files, and concurrent
sessions.

The session's dashboard server (conftest: `dashboard_server`) serves them; a second server serves
a hostile fact file. Every page in both languages is visited in tests/test_pages_browser.py.
`make screenshots` (`-k screenshot`) writes screenshots/*.png.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest

from haixi.formatting import format_quantity
from haixi.i18n import LANGS, enum_label, pick, t
from haixi.loader import load
from haixi.paths import facts_path
from haixi.report import HTML_LANG
from haixi.schema import Stage
from tests.browser import (
    LOCALES,
    MAIN,
    PHONE,
    POPOVER_BODY,
    SCREENSHOTS,
    TIMEOUT,
    WIDE,
    cut_off,
    error_elements,
    modal_dialogs,
    open_tab,
    shipped_line_of,
    streamlit_server,
    tab_labels,
    wait_for_app,
)

pytestmark = pytest.mark.browser

INFO = "[data-testid='stAlertContentInfo']"


@cache
def base():
    return load(facts_path())


@pytest.fixture
def open_page(browser):
    """open_page(url, lang=None, viewport=WIDE) → a settled Playwright page, in its own context.

    `lang` picks the browser locale (zh-CN or en-US). Every page records the JavaScript
    dialogs it raises (alert, confirm...) in page.dialogs; there must be none.
    """
    contexts = []

    def _open(url: str, lang: str | None = None, viewport: dict = WIDE):
        context = browser.new_context(viewport=viewport, locale=LOCALES.get(lang or "zh"))
        contexts.append(context)
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url)
        wait_for_app(page)
        assert modal_dialogs(page) == []
        return page

    yield _open
    for context in contexts:
        context.close()


def title_of(page) -> str:
    heading = page.locator(f"{MAIN} h1").first
    heading.wait_for(timeout=TIMEOUT)
    return heading.inner_text().strip()


def expect_title(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(f"{MAIN} h1").first).to_have_text(text, timeout=TIMEOUT)
    wait_for_app(page)


def switch_language(page, name: str) -> None:
    """Click a language in the sidebar's segmented control (its buttons are radios)."""
    page.locator("[data-testid='stSidebar']").get_by_role("radio", name=name).click()


def infos(page) -> list[str]:
    """Texts of the st.info notices (without the icon's name)."""
    notices = page.locator(f"{INFO} [data-testid='stMarkdownContainer']")
    return [text.strip() for text in notices.all_inner_texts()]


def assert_not_pwned(page) -> None:
    page.wait_for_timeout(300)  # time for an injected onerror handler to have fired
    assert page.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    assert page.locator(f"{MAIN} script").count() == 0


# --------------------------------------------------------------------------- phone width


@pytest.mark.parametrize(("name", "lang"), [("overview", "en"), ("projects", "zh")])
def test_phone_width_screenshot(dashboard_server, open_page, name, lang):
    page = open_page(f"{dashboard_server.url}{name}?lang={lang}", lang, viewport=PHONE)
    assert title_of(page) == t(f"page.{name}", lang)
    assert error_elements(page) == []
    # Nothing wider than the screen: no sideways scrolling of the page itself.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert cut_off(page) == []
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-phone.png"))


# --------------------------------------------------------------------------- interactions


@pytest.mark.parametrize("name", ["chains"])
def test_language_switch_reloads_the_same_page_in_english(dashboard_server, open_page, name):
    page = open_page(f"{dashboard_server.url}{name}?lang=zh", "zh")
    assert title_of(page) == t(f"page.{name}", "zh")
    switch_language(page, "English")
    expect_title(page, t(f"page.{name}", "en"))
    assert re.search(rf"/{name}\?(.*&)?lang=en", page.url), page.url
    assert t("sidebar.language", "en") in page.locator("[data-testid='stSidebar']").inner_text()
    assert error_elements(page) == []
    switch_language(page, "中文")
    expect_title(page, t(f"page.{name}", "zh"))


def test_fact_permalink_lands_on_sources_with_the_quote(dashboard_server, open_page):
    lang = "zh"  # from the browser's locale: the link has no ?lang=
    page = open_page(f"{dashboard_server.url}?fact=per-capita-gdp", lang)
    expect_title(page, t("page.sources", lang))
    assert re.search(r"/sources\?", page.url), page.url
    assert "fact=per-capita-gdp" in page.url
    quote_ = page.locator(f"{MAIN} blockquote").filter(has_text="人均GDP达到17万元")
    assert quote_.first.is_visible()
    value = format_quantity(base().fact("per-capita-gdp").quantity, lang)
    assert value in page.locator(f"{MAIN} [data-testid='stMetricValue']").all_inner_texts()
    # The record names the quote's line in the shipped source (the hosted demo ships them too).
    where = t("cite.line", lang, line=shipped_line_of(base().fact("per-capita-gdp").source.quote))
    assert where in page.locator(MAIN).inner_text()
    assert error_elements(page) == []


def test_stage_in_the_url_shows_the_negotiating_projects(dashboard_server, open_page):
    page = open_page(f"{dashboard_server.url}projects?stage=negotiating&lang=zh", "zh")
    negotiating = [p for p in base().projects if p.stage is Stage.negotiating]
    assert len(negotiating) == 3
    heading = t("projects.table", "zh", shown=3, total=len(base().projects))
    assert page.locator(f"{MAIN} h2").filter(has_text=heading).count() == 1
    stage_filter = page.locator("[data-testid='stMultiSelect']").filter(
        has_text=t("col.stage", "zh")
    )
    assert enum_label(Stage.negotiating, "zh") in stage_filter.inner_text()
    assert infos(page) == []


def test_a_link_with_a_tab_opens_it_and_a_tab_click_names_it(dashboard_server, open_page):
    page = open_page(f"{dashboard_server.url}economy?tab=documents&lang=en", "en")
    expect_title(page, t("page.economy", "en"))
    selected = page.locator(f"{MAIN} [role='tab'][aria-selected='true']")
    assert selected.inner_text() == t("economy.documents", "en")
    labels = tab_labels(page)
    open_tab(page, labels.index(t("economy.milestones", "en")))
    assert "tab=milestones" in page.url, page.url
    open_tab(page, 0)
    assert "tab=" not in page.url, page.url
    assert error_elements(page) == []


def test_source_popover_opens_with_the_quote_and_permalink(dashboard_server, open_page):
    page = open_page(f"{dashboard_server.url}overview?lang=zh", "zh")
    # The first popover on the page is the first headline card's: per-capita GDP.
    page.locator(f"{MAIN} [data-testid='stPopover'] button").first.click()
    body = page.locator(POPOVER_BODY)
    body.wait_for(timeout=TIMEOUT)
    assert "人均GDP达到17万元" in body.locator("blockquote").inner_text()
    assert t("cite.quote_label", "zh") in body.inner_text()
    link = body.get_by_role("link", name=t("cite.permalink", "zh"))
    link.click()
    expect_title(page, t("page.sources", "zh"))
    assert "fact=per-capita-gdp" in page.url


def test_report_download_is_the_offline_report_in_the_page_language(dashboard_server, open_page):
    """English, then 中文 from the sidebar on the same page (one load, the tab kept)."""
    page = open_page(f"{dashboard_server.url}sources?lang=en", "en")
    open_tab(page, tab_labels(page).index(t("sources.downloads", "en")))
    version = base().meta.version
    for lang, switch in (("en", None), ("zh", "中文")):
        if switch:
            switch_language(page, switch)
            expect_title(page, t("page.sources", lang))
            wait_for_app(page)
        button = page.locator("[data-testid='stDownloadButton']").filter(
            has_text=t("sources.report", lang)
        )
        with page.expect_download(timeout=TIMEOUT) as caught:
            button.click()
        download = caught.value
        assert download.suggested_filename == f"haixi-facts-{version}-report-{lang}.html"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert f'<html lang="{HTML_LANG[lang]}">' in text
        assert version in text and base().meta.released.isoformat() in text
        assert error_elements(page) == []


def test_project_quote_list_links_to_the_record(dashboard_server, open_page):
    lang = "en"
    page = open_page(f"{dashboard_server.url}projects?lang={lang}", lang)
    page.locator(f"{MAIN} [data-testid='stExpander'] summary").filter(
        has_text=t("projects.sources", lang)
    ).click()
    project = base().projects[0]
    expander = page.locator(f"{MAIN} [data-testid='stExpanderDetails']")
    assert project.source.quote in expander.locator("blockquote").first.inner_text()
    link = expander.get_by_role("link", name=t("cite.permalink", lang)).first
    href = link.get_attribute("href")
    assert href.endswith(f"sources?fact={project.id}&lang={lang}"), href
    # Where the link lands: test_fact_permalink_lands_on_sources_with_the_quote (a browser
    # load of a ?fact= address) and, for a project, test_app's permalink to every kind of record.


@pytest.mark.parametrize("lang", LANGS)
def test_chain_expander_is_filled_when_opened(dashboard_server, open_page, lang):
    from playwright.sync_api import expect

    page = open_page(f"{dashboard_server.url}chains?lang={lang}", lang)
    chain = next(c for c in sorted(base().chains, key=lambda c: c.position)
                 if base().projects_of(c.id))
    project = base().projects_of(chain.id)[0]
    main = page.locator(MAIN)
    # Collapsed, the page sent nothing for it (app.lazy_expander); opening it reruns the page.
    assert main.locator("[data-testid='stExpanderDetails'] td").count() == 0
    main.locator("[data-testid='stExpander'] summary").filter(
        has_text=f"{chain.position}. {pick(chain.name, lang)}"
    ).click()
    cell = main.locator("[data-testid='stExpanderDetails'] td").filter(
        has_text=pick(project.name, lang)
    )
    expect(cell.first).to_be_visible(timeout=TIMEOUT)
    assert error_elements(page) == []


# --------------------------------------------------------------------------- hostile input

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def test_hostile_search_and_topic_show_a_notice_and_run_nothing(dashboard_server, open_page):
    page = open_page(f"{dashboard_server.url}sources?q={quote(SCRIPT)}&topic={quote(IMG)}&lang=en", "en")
    assert title_of(page) == t("page.sources", "en")
    assert t("notice.bad_param", "en", name="topic") in infos(page)
    search = page.get_by_label(t("sources.search", "en"))
    assert search.input_value() == SCRIPT
    caption = t("sources.showing", "en", shown=0, total=len(_records()))
    assert page.get_by_text(caption, exact=True).is_visible()
    assert_not_pwned(page)
    assert error_elements(page) == []


def test_hostile_stage_shows_a_notice_and_every_project(dashboard_server, open_page):
    page = open_page(f"{dashboard_server.url}projects?stage={quote(IMG)}&lang=en", "en")
    assert t("notice.bad_param", "en", name="stage") in infos(page)
    heading = t("projects.table", "en", shown=len(base().projects), total=len(base().projects))
    assert page.locator(f"{MAIN} h2").filter(has_text=heading).count() == 1
    assert_not_pwned(page)


def test_hostile_parameter_name_is_shown_literally(dashboard_server, open_page):
    page = open_page(f"{dashboard_server.url}overview?{quote(IMG)}=1&lang=en", "en")
    notice = " ".join(infos(page))
    assert IMG[:40].strip() in notice, notice
    assert_not_pwned(page)
    assert error_elements(page) == []


def _records():
    return [
        r
        for s in (
            "facts",
            "projects",
            "bases",
            "documents",
            "programmes",
            "milestones",
            "priorities",
        )
        for r in getattr(base(), s)
    ]


PWNED_LABEL = "<script>window.__pwned=1</script><b>bold</b>"
PWNED_CHAIN = '<img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A second server on a fact file whose labels carry HTML and script."""
    folder = tmp_path_factory.mktemp("hostile")
    facts = folder / "facts.yaml"
    shutil.copyfile(facts_path(), facts)
    text = facts.read_text(encoding="utf-8")
    old_label = "label: {zh: 人均GDP, en: Per-capita GDP}"
    old_chain = "name: {zh: 清洁能源, en: Clean energy}"
    assert old_label in text and old_chain in text
    text = text.replace(old_label, f"label: {{zh: 人均GDP, en: '{PWNED_LABEL}'}}", 1)
    text = text.replace(old_chain, f"name: {{zh: 清洁能源, en: '{PWNED_CHAIN}'}}", 1)
    facts.write_text(text, encoding="utf-8")
    hostile = load(facts)  # the file must be valid, or the test would show an error page
    assert hostile.fact("per-capita-gdp").label.en == PWNED_LABEL
    with streamlit_server(env={"HAIXI_FACTS": str(facts)}) as running:
        yield running


# Where the hostile label (overview: a headline card) and chain name (chains: an expander;
# projects: the chain filter and the charts) are shown.
@pytest.mark.parametrize("name", ["overview", "chains", "projects"])
def test_html_in_fact_labels_is_shown_as_text(hostile_server, open_page, name):
    page = open_page(f"{hostile_server.url}{name}?lang=en", "en")
    assert title_of(page) == t(f"page.{name}", "en")
    assert error_elements(page) == []
    main = page.locator(MAIN)
    if name == "overview":
        label = main.locator("[data-testid='stMetricLabel']").filter(has_text="window.__pwned=1")
        assert label.first.inner_text().strip() == PWNED_LABEL
        assert main.locator("b", has_text=re.compile(r"^bold$")).count() == 0
    if name == "chains":
        expander = main.locator("[data-testid='stExpander'] summary").filter(
            has_text="window.__pwned=2"
        )
        assert PWNED_CHAIN in expander.first.inner_text()
        # The chart tables beside the charts are Markdown tables: the name is a cell's text.
        cell = main.locator("[data-testid='stMarkdownContainer'] td").filter(
            has_text="window.__pwned=2"
        )
        assert cell.count() >= 1 and cell.first.inner_text().strip() == PWNED_CHAIN
        assert main.locator("img[src='x']").count() == 0
    assert_not_pwned(page)


# --------------------------------------------------------------------------- concurrency


def _pick(page, label: str, option: str) -> None:
    """Add an option to the multiselect with this label."""
    box = page.locator("[data-testid='stMultiSelect']").filter(has_text=label)
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def _expect_heading(page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator(f"{MAIN} h2").filter(has_text=text)).to_have_count(1, timeout=TIMEOUT)
    wait_for_app(page)


def test_concurrent_sessions_keep_their_own_language_and_filters(dashboard_server, browser):
    total = len(base().projects)

    def count(*stages: Stage) -> int:
        return sum(1 for p in base().projects if p.stage in stages)

    contexts = [browser.new_context(viewport=WIDE, locale=LOCALES[lang]) for lang in LANGS]
    try:
        zh_page, en_page = (context.new_page() for context in contexts)
        zh_page.goto(f"{dashboard_server.url}projects?lang=zh&stage=negotiating")
        en_page.goto(f"{dashboard_server.url}projects?lang=en")
        wait_for_app(zh_page)
        wait_for_app(en_page)
        _expect_heading(
            zh_page, t("projects.table", "zh", shown=count(Stage.negotiating), total=total)
        )
        _expect_heading(en_page, t("projects.table", "en", shown=total, total=total))

        # A rerun in the English session (a filter) ...
        _pick(en_page, t("col.stage", "en"), enum_label(Stage.trial_production, "en"))
        _expect_heading(
            en_page, t("projects.table", "en", shown=count(Stage.trial_production), total=total)
        )
        # ... then one in the Chinese session: still Chinese, still only its own filter.
        _pick(zh_page, t("col.stage", "zh"), enum_label(Stage.filed_and_approved, "zh"))
        _expect_heading(
            zh_page,
            t(
                "projects.table",
                "zh",
                shown=count(Stage.negotiating, Stage.filed_and_approved),
                total=total,
            ),
        )
        assert title_of(zh_page) == t("page.projects", "zh")
        assert "lang=zh" in zh_page.url and "trial_production" not in zh_page.url

        # The Chinese session switches to English and keeps its filters (the browser holds a
        # multiselect's choices as labels: they must follow the language) ...
        switch_language(zh_page, "English")
        expect_title(zh_page, t("page.projects", "en"))
        _pick(zh_page, t("col.stage", "en"), enum_label(Stage.grid_connected, "en"))
        _expect_heading(
            zh_page,
            t(
                "projects.table",
                "en",
                shown=count(Stage.negotiating, Stage.filed_and_approved, Stage.grid_connected),
                total=total,
            ),
        )
        assert "stage=negotiating&stage=filed_and_approved&stage=grid_connected" in zh_page.url
        # ... while the other session reruns with its own filters.
        _pick(en_page, t("col.stage", "en"), enum_label(Stage.started, "en"))
        _expect_heading(
            en_page,
            t(
                "projects.table",
                "en",
                shown=count(Stage.trial_production, Stage.started),
                total=total,
            ),
        )
        assert "negotiating" not in en_page.url and "lang=en" in en_page.url
        for page in (zh_page, en_page):
            assert error_elements(page) == []
    finally:
        for context in contexts:
            context.close()
