"""Shared pytest fixtures and hooks: repo paths, the sources folder, Chromium, server logs on failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from haixi import paths
from tests.browser import (
    REPO_ROOT,
    RUNNING_SERVERS,
    StreamlitServer,
    launch_browser,
    require_browser,
    streamlit_server,
)

_first_server = pytest.StashKey[int]()
_logs_attached = pytest.StashKey[bool]()


def _required(var: str) -> bool:
    return os.environ.get(var, "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the folder holding dashboard.py)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def sources_dir(repo_root: Path) -> Path:
    """The sources folder the app uses: paths.sources_dir() ($HAIXI_SOURCES, else data/sources)."""
    path = paths.sources_dir().resolve()
    if not path.is_dir():
        reason = "sources folder not found: unset HAIXI_SOURCES to use the shipped data/sources"
        if _required("HAIXI_REQUIRE_SOURCES") or _required("CI"):
            pytest.fail(f"{reason} (looked at {path})", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def shared_sources_dir(repo_root: Path) -> Path:
    """The originals: $HAIXI_SHARED_SOURCES, else ../shared/sources (skips locally, fails in CI)."""
    configured = os.environ.get("HAIXI_SHARED_SOURCES", "").strip()
    path = Path(configured) if configured else repo_root.parent / "shared" / "sources"
    if not path.is_absolute():
        path = repo_root / path
    path = path.resolve()
    if not path.is_dir():
        reason = f"original sources folder not found at {path} (set HAIXI_SHARED_SOURCES)"
        if _required("HAIXI_REQUIRE_SOURCES") or _required("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


def copy_tracked_files(repo_root: Path, dest: Path) -> Path:
    """Copy the files git tracks (as they are in the work tree) to `dest`: a clone's contents.

    Nothing untracked comes along (no .venv, no ../shared beside it), as on a fresh clone or
    on Streamlit Community Cloud.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo_root, capture_output=True, check=True
    ).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        source = repo_root / name
        if source.is_file() and not source.is_symlink():  # deleted in the work tree: not shipped
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


@pytest.fixture(scope="session")
def run_pytest():
    """run_pytest(nodes, env, unset) runs test nodes (one, or a list) in a fresh pytest from the
    repo root, with `env` set over our environment and the variables in `unset` removed."""

    def run(nodes: str | list[str], env: dict[str, str], unset: tuple[str, ...] = ()):
        clean = {k: v for k, v in os.environ.items() if k not in unset}
        clean.update(env)
        nodes = [nodes] if isinstance(nodes, str) else list(nodes)
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *nodes],
            capture_output=True, text=True, env=clean, cwd=REPO_ROOT, timeout=120,
        )

    return run


@pytest.fixture(scope="session")
def bare_clone(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's tracked files in a temp folder with nothing beside it."""
    return copy_tracked_files(repo_root, tmp_path_factory.mktemp("bare") / "haixi-dashboard")


@pytest.fixture(scope="session")
def browser():
    """One headless system Chromium for the whole session (skips or fails without it)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def dashboard_server():
    """One dashboard server (dashboard.py on a free port) for the whole session.

    Under pytest-xdist each worker is a session of its own, so each starts its own server,
    on a port of its own (free_port: the system hands each a different free one)."""
    with streamlit_server() as running:
        yield running


@pytest.fixture(scope="session")
def hosted(request, bare_clone):
    """The dashboard as Community Cloud serves it (tests/hosted.py): a bare clone, a venv of
    requirements.txt alone, none of our environment. The page visits run against it."""
    from tests.hosted import hosted_server

    require_browser()
    with hosted_server(request.config, bare_clone) as running:
        yield running


@pytest.fixture(scope="session")
def multi_server():
    """One dashboard server over the fictitious multi-source fixture (tests/fixtures/multi:
    HAIXI_FACTS and HAIXI_SOURCES point at it) for the whole session."""
    from tests.multi import MULTI, MULTI_SOURCES

    with streamlit_server(env={"HAIXI_FACTS": str(MULTI), "HAIXI_SOURCES": str(MULTI_SOURCES)}) as running:
        yield running


# What the dashboard server must never log, whatever a test did to it.
SERVER_LOG_FAILURES = ("Traceback", "Session State API")
# The session's servers that the check below watches.
WATCHED_SERVERS = ("dashboard_server", "multi_server", "hosted")


@pytest.fixture(autouse=True)
def _dashboard_server_logs_nothing_bad(request: pytest.FixtureRequest):
    """After each test that used one of the session's dashboard servers: nothing it did made
    the server log a traceback or a Session State API warning (checked on the log it added)."""
    servers: list[StreamlitServer] = [request.getfixturevalue(name) for name in WATCHED_SERVERS
                                      if name in request.fixturenames]
    starts = [len(server.log()) for server in servers]
    yield
    for server, start in zip(servers, starts, strict=True):
        added = server.log()[start:]
        bad = [needle for needle in SERVER_LOG_FAILURES if needle in added]
        assert not bad, f"the dashboard server logged {bad} during this test:\n{added[-5000:]}"


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser page (own context) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files with the most browser tests first, each file's tests in their own order.

    make test runs pytest -n 3 --dist loadfile --no-loadscope-reorder: a worker takes the next
    file in this order when it is free, so the long files (browser tests: 5-15 s each) start
    first and the short ones fill in at the end, instead of a long file starting last."""
    browser = Counter(item.path for item in items if item.get_closest_marker("browser"))
    items.sort(key=lambda item: -browser[item.path])  # stable: a file's tests stay together


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_first_server] = len(RUNNING_SERVERS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """On failure, attach the log of every Streamlit server the test used."""
    report = yield
    if report.failed and not item.stash.get(_logs_attached, False):
        servers: list[StreamlitServer] = []
        # Servers from fixtures (any scope) ...
        for value in getattr(item, "funcargs", {}).values():
            if isinstance(value, StreamlitServer):
                servers.append(value)
        # ... and servers started during this test.
        for server in RUNNING_SERVERS[item.stash.get(_first_server, len(RUNNING_SERVERS)) :]:
            if server not in servers:
                servers.append(server)
        for server in servers:
            report.sections.append(
                (f"streamlit server log ({server.script}, port {server.port})", server.log())
            )
        if servers:
            item.stash[_logs_attached] = True
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    for server in RUNNING_SERVERS:
        server.log_path.unlink(missing_ok=True)


@pytest.fixture
def multi(monkeypatch):
    """The fictitious multi-source fact base, with the sources folder pointed at its texts."""
    from haixi.loader import load
    from tests.multi import MULTI, MULTI_SOURCES

    monkeypatch.setenv("HAIXI_SOURCES", str(MULTI_SOURCES))
    return load(MULTI)


@pytest.fixture(scope="module")
def real():
    """The real fact base, data/facts.yaml."""
    from haixi.loader import load
    from haixi.paths import DEFAULT_FACTS

    return load(DEFAULT_FACTS)
