"""The hosted demo's conditions (Streamlit Community Cloud): a bare clone, requirements.txt alone.

Community Cloud clones the repository, installs `requirements.txt` and nothing else, and runs
`streamlit run dashboard.py` with no environment of ours and nothing beside the clone.
`hosted_server` does the same: the tracked files copied to a temp folder (conftest's
`bare_clone`), a virtualenv built from requirements.txt only (cached by the file's hash, so a
rerun is quick), the dashboard started from the copy with HAIXI_SOURCES and HAIXI_FACTS unset.
The page visits of tests/test_pages_browser.py run against it (conftest's `hosted` fixture).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import HEALTH_TIMEOUT, RUNNING_SERVERS, StreamlitServer, free_port, stop
from tests.browser import _healthy as healthy

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


@contextlib.contextmanager
def hosted_server(config, bare_clone: Path) -> Iterator[StreamlitServer]:
    """The dashboard served from a bare clone by a venv of requirements.txt alone, as
    Community Cloud serves it: no environment of ours, the repository's own config."""
    cache = getattr(config, "cache", None)
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


