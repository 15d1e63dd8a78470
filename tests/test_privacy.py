"""Nothing leaves the machine: every request of every page, in both languages, and of the
offline report goes to the dashboard's own server (or to file:, data:, blob: for the report).
"""

from __future__ import annotations

import pytest

from haixi.app import PAGES
from haixi.i18n import LANGS
from haixi.report import build_report
from tests.browser import foreign_requests, real_fact_base, wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


def recording(browser):
    """A fresh page (own context, so nothing is cached) and the list of URLs it requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 2600})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return context, page, requested


def test_foreign_requests_names_every_other_host():
    own = [
        "http://127.0.0.1:8501/_stcore/health",
        "ws://127.0.0.1:8501/_stcore/stream",
        "file:///tmp/report.html",
        "data:image/png;base64,AAAA",
        "blob:http://127.0.0.1:8501/1234",
    ]
    others = [
        "https://fonts.gstatic.com/s/i/materialsymbolsrounded/query_stats/default/24px.svg",
        "http://127.0.0.1:9999/another-port",
        "http://localhost:8501/another-name",
        "https://127.0.0.1:8501/another-scheme",
    ]
    assert foreign_requests(own + others, "127.0.0.1:8501") == others
    assert foreign_requests(own[2:], None) == []
    assert foreign_requests(own[:2], None) == own[:2]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PAGES)
def test_page_requests_only_its_own_server(dashboard_server, browser, name, lang):
    context, page, requested = recording(browser)
    try:
        page.goto(f"{dashboard_server.url}{'' if name == 'overview' else name}?lang={lang}")
        wait_for_app(page)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)  # late requests: the favicon, lazily loaded fonts
    finally:
        context.close()
    assert requested, "the page requested nothing: the recorder is not recording"
    assert foreign_requests(requested, f"127.0.0.1:{dashboard_server.port}") == []


def test_favicon_is_the_repository_file_served_by_the_dashboard(
    dashboard_server, browser, repo_root
):
    context, page, _ = recording(browser)
    try:
        page.goto(dashboard_server.url)
        wait_for_app(page)
        href = page.eval_on_selector("link[rel~='icon']", "link => link.href")
        response = context.request.get(href)
        assert href.startswith(dashboard_server.url), href
        assert response.ok, (href, response.status)
        assert response.body() == (repo_root / "static" / "favicon.png").read_bytes()
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_report_requests_nothing_from_the_network(browser, tmp_path, lang):
    path = tmp_path / f"report-{lang}.html"
    path.write_text(build_report(real_fact_base(), lang), encoding="utf-8")
    context, page, requested = recording(browser)
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert requested, "the report requested nothing: the recorder is not recording"
    assert foreign_requests(requested, None) == []
