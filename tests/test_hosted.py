"""The hosted demo's conditions (Streamlit Community Cloud): a bare clone, requirements.txt alone.

Community Cloud clones the repository, installs `requirements.txt` and nothing else, and runs
`streamlit run dashboard.py` with no environment of ours and nothing beside the clone. This test
does the same: it copies the tracked files to a temp folder, builds a virtualenv from
requirements.txt only (cached by the file's hash, so a rerun is quick), starts the dashboard
from the copy with HAIXI_SOURCES and HAIXI_FACTS unset, and opens every page in headless
Chromium with the page visit of tests/browser.py (`visit`): no exception, every chart drawn,
no request to another host, and source lines ("第N行" / "line N") where a figure is cited.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from haixi.i18n import t
from haixi.loader import load
from haixi.paths import DEFAULT_FACTS, DEFAULT_SOURCES
from tests.browser import (
    HEALTH_TIMEOUT,
    LOCALES,
    MAIN,
    POPOVER_BODY,
    RUNNING_SERVERS,
    TIMEOUT,
    WIDE,
    StreamlitServer,
    error_elements,
    foreign_requests,
    free_port,
    require_browser,
    stop,
    visit,
    wait_for_app,
)
from tests.browser import _healthy as healthy

# make test runs pytest -n 3 --dist loadfile: this module's tests share one worker, one venv
# build and one server; _requirements_venv still builds under a lock (two runs, one cache).
pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Every page at the address Community Cloud serves it.
PAGES = ("", "economy", "chains", "projects", "livelihood", "sources", "text")
# Variables that would point the app at anything but the clone's own files.
UNSET = ("HAIXI_SOURCES", "HAIXI_FACTS", "HAIXI_SHARED_SOURCES", "PYTHONPATH", "VIRTUAL_ENV")


def _requirements_venv(requirements: Path, cache_root: Path) -> Path:
    """A virtualenv with requirements.txt installed and nothing else, keyed by the file's hash.

    Built under a lock: two pytest processes (xdist workers, or two runs sharing a cache)
    would otherwise delete each other's half-built venv; the second waits and reuses it."""
    key = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    cache_root.mkdir(parents=True, exist_ok=True)
    with open(cache_root / f"hosted-venv-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _build_venv(requirements, cache_root / f"hosted-venv-{key}", key)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_venv(requirements: Path, venv: Path, key: str) -> Path:
    """Create `venv` and install requirements.txt into it, unless a finished one is there."""
    python = venv / "bin" / "python"
    done = venv / ".requirements-installed"
    if done.is_file() and python.exists():
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    base_python = getattr(sys, "_base_executable", None) or sys.executable
    created = subprocess.run([base_python, "-m", "venv", str(venv)], capture_output=True,
                             text=True, timeout=300)
    if created.returncode != 0:
        pytest.fail(f"python -m venv failed:\n{created.stdout}\n{created.stderr}", pytrace=False)
    install = subprocess.run(
        # --no-compile: Python compiles a module when it is first imported; pip compiling
        # every file of every package beforehand cost 4 of its 21 s.
        [str(python), "-m", "pip", "install", "--quiet", "--no-compile", "-r", str(requirements)],
        capture_output=True, text=True, timeout=1500,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
    )
    if install.returncode != 0:
        pytest.fail(f"pip install -r requirements.txt failed:\n{install.stdout}\n{install.stderr}",
                    pytrace=False)
    done.write_text(key + "\n", encoding="utf-8")
    return venv


@pytest.fixture(scope="module")
def hosted(request, bare_clone):
    """The dashboard served from a bare clone by a venv of requirements.txt alone."""
    require_browser()
    cache = getattr(request.config, "cache", None)
    cache_root = Path(cache.mkdir("hosted")) if cache is not None else Path(tempfile.gettempdir())
    venv = _requirements_venv(bare_clone / "requirements.txt", cache_root)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(PYTHONUNBUFFERED="1", HOME=str(bare_clone.parent))
    log_fd, log_name = tempfile.mkstemp(prefix=f"streamlit-hosted-{port}-", suffix=".log")
    with os.fdopen(log_fd, "wb") as log:
        process = subprocess.Popen(
            [str(venv / "bin" / "python"), "-m", "streamlit", "run", "dashboard.py",
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=bare_clone, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    server = StreamlitServer(f"http://127.0.0.1:{port}/", port, process.pid, Path(log_name),
                             "dashboard.py (hosted conditions)", process)
    RUNNING_SERVERS.append(server)  # conftest prints its log when a test fails
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while not healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the hosted dashboard did not start:\n{server.log()}", pytrace=False)
            time.sleep(0.3)
        yield server
    finally:
        stop(process)


def _line_of(quote: str) -> int:
    """The line of the shipped source a quote is on (what the dashboard should show)."""
    for path in sorted(DEFAULT_SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if quote in text:
            return text.count("\n", 0, text.index(quote)) + 1
    raise AssertionError(f"quote not in data/sources: {quote!r}")


def test_the_clone_has_no_environment_of_ours(bare_clone):
    assert (bare_clone / "data" / "sources" / "qaidam-new-era-2022.txt").is_file()
    assert not (bare_clone / ".venv").exists()
    assert not (bare_clone.parent / "shared").exists()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "overview")
def test_every_page_works_in_the_hosted_demo(hosted, browser, path):
    """The page visit of tests/test_pages_browser.py, on the open tab only and without axe: a
    title, no error element, every chart drawn, no request to another host."""
    seen = visit(browser, hosted.url + path, locale=LOCALES["zh"], every_tab=False, axe=False)
    assert seen.title, hosted.log()
    assert seen.modals == [] and seen.dialogs == [], (seen.modals, seen.dialogs)
    (tab,) = seen.tabs
    assert tab.errors == [], hosted.log()
    assert tab.undrawn == [], tab.undrawn
    assert seen.requests and foreign_requests(seen.requests, f"127.0.0.1:{hosted.port}") == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_figures_quote_shows_its_source_line(hosted, browser, lang):
    fact = load(DEFAULT_FACTS).fact("per-capita-gdp")  # the overview's first headline card
    where = t("cite.line", lang, line=_line_of(fact.source.quote))
    context = browser.new_context(viewport=WIDE)
    try:
        page = context.new_page()
        page.goto(f"{hosted.url}?lang={lang}")
        wait_for_app(page)
        page.locator(f"{MAIN} [data-testid='stPopover'] button").first.click()
        body = page.locator(POPOVER_BODY)
        body.wait_for(timeout=TIMEOUT)
        assert fact.source.quote in body.inner_text()
        assert where in body.inner_text(), body.inner_text()
        page.goto(f"{hosted.url}sources?fact={fact.id}&lang={lang}")
        wait_for_app(page)
        assert where in page.locator(MAIN).inner_text()
        assert error_elements(page) == []
    finally:
        context.close()
