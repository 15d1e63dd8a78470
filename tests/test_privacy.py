"""Nothing leaves the machine: the check of a request's host, and the favicon served by the
dashboard itself. Every page's requests, in both languages, and the offline report's are checked
by their visits in tests/test_pages_browser.py.
"""

from __future__ import annotations

import pytest

from tests.browser import WIDE, foreign_requests, wait_for_app

pytestmark = pytest.mark.browser


def recording(browser):
    """A fresh page (own context, so nothing is cached) and the list of URLs it requests."""
    context = browser.new_context(viewport=WIDE)
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
