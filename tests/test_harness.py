"""Self-tests of the browser harness (tests/browser.py) on tiny throwaway Streamlit apps."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import error_elements, streamlit_server, wait_for_app

HELLO_APP = 'import streamlit as st\nst.write("hello")\n'
# One server for the browser self-tests, an app per ?app= (a server start is ~2.5 s of CPU).
APPS = """\
import plotly.graph_objects as go
import streamlit as st

app = st.query_params.get("app")
if app == "hello":
    st.write("hello")
elif app == "chart":
    st.write("chart")
    st.plotly_chart(go.Figure(go.Bar(x=["a"], y=[1])))
elif app == "crash":
    st.write("before")
    raise RuntimeError("boom")
"""


def _write(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return path


def test_server_log_helper_returns_text(tmp_path):
    app = _write(tmp_path, "hello.py", HELLO_APP)
    with streamlit_server(app) as server:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert server.pid > 0
        log = server.log()
    assert isinstance(log, str)
    assert str(server.port) in log, log
    assert server.process.poll() is not None, "server should be stopped after the block"


@pytest.fixture(scope="module")
def apps(tmp_path_factory, repo_root):
    """The self-tests' apps on one server; cwd=repo_root so the repo's .streamlit/config.toml
    (showErrorDetails = "none") applies."""
    app = _write(tmp_path_factory.mktemp("apps"), "apps.py", APPS)
    with streamlit_server(app, cwd=repo_root) as server:
        yield server


@pytest.mark.browser
def test_hello_app_renders_without_errors(apps, page):
    page.goto(apps.url + "?app=hello")
    assert wait_for_app(page) == 0
    assert page.get_by_text("hello", exact=True).is_visible()
    assert error_elements(page) == []


@pytest.mark.browser
def test_chart_app_draws_one_chart(apps, page):
    page.goto(apps.url + "?app=chart")
    assert wait_for_app(page) == 1
    assert page.locator("[data-testid='stPlotlyChart'] .main-svg").first.is_visible()
    assert error_elements(page) == []


@pytest.mark.browser
def test_crashing_app_shows_error_element(apps, page):
    start = len(apps.log())
    page.goto(apps.url + "?app=crash")
    wait_for_app(page)
    errors = error_elements(page)
    log = apps.log()[start:]
    assert len(errors) == 1, errors
    assert errors[0].startswith("This app has encountered an error."), errors
    # The browser gets only a generic message: no exception type, message or traceback ...
    assert "boom" not in errors[0]
    assert "RuntimeError" not in errors[0]
    assert "Traceback" not in errors[0]
    # ... while the server log keeps the full details.
    assert "RuntimeError: boom" in log


def test_config_skips_the_full_collection_after_every_run(repo_root):
    """Streamlit's gc.collect(2) after each run held every click for ~90 ms (bench/notes.md):
    the repo's config turns it off, with an option this Streamlit still knows."""
    import tomllib

    from streamlit import config

    settings = tomllib.loads((repo_root / ".streamlit" / "config.toml").read_text("utf-8"))
    assert settings["runner"]["postScriptGC"] is False
    assert config.get_option("runner.postScriptGC") in (True, False)  # raises if unknown
