"""Streamlit servers for the benchmark: start and stop them, their logs, the baseline checkout."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import OUT, REPO


@dataclass(frozen=True)
class App:
    """One app the benchmark serves: its entry script and the tree it imports `haixi` from."""

    name: str
    script: Path
    tree: Path = REPO


def _env(tree: Path) -> dict[str, str]:
    # A generated app outside the repository (a floor) imports nothing from it, but the
    # dashboard's own frame and a baseline checkout import `haixi` from their own tree.
    return {"PYTHONPATH": str(tree), "HAIXI_FACTS": str(tree / "data" / "facts.yaml")}


def file_watcher(tree: Path) -> str:
    """The file watcher `tree` is served with: server.fileWatcherType in its
    .streamlit/config.toml, else Streamlit's default, "auto".

    The watcher walks every loaded module when a session's script run ends, on the server's
    event loop, before the run's last messages go out: with the dashboard's modules that held
    every cold load's "script finished" back by about half a second (bench/notes.md, "cold").
    The test servers switch it off (tests/browser.py); the benchmark serves every app as the
    project serves it."""
    config = tree / ".streamlit" / "config.toml"
    if config.exists():
        found = tomllib.loads(config.read_text(encoding="utf-8"))
        return str(found.get("server", {}).get("fileWatcherType", "auto"))
    return "auto"


@contextlib.contextmanager
def serving(apps: list[App], watcher: str | None = None) -> Iterator[dict]:
    """Run `streamlit run` for every app at once (each on a free port, its health polled by
    tests.browser.streamlit_server) until the block exits; yields name -> server.

    Every app is served from its tree, with that tree's file watcher (`file_watcher`), or
    `watcher` when given (`python -m bench --file-watcher`)."""
    from tests.browser import streamlit_server

    with contextlib.ExitStack() as stack:
        yield {
            app.name: stack.enter_context(streamlit_server(
                app.script, env=_env(app.tree), cwd=app.tree,
                extra_args=["--server.fileWatcherType", watcher or file_watcher(app.tree)]))
            for app in apps
        }


def tracebacks(servers: dict, before: dict[str, int] | None = None) -> dict[str, int]:
    """Tracebacks in each server's log (since `before`, a previous call's answer)."""
    before = before or {}
    return {name: s.log().count("Traceback") - before.get(name, 0) for name, s in servers.items()}


def log_tails(servers: dict, counts: dict[str, int], lines: int = 30) -> dict[str, str]:
    """The last lines of the log of every server that logged a traceback."""
    return {
        name: "\n".join(servers[name].log().splitlines()[-lines:])
        for name, n in counts.items() if n
    }


@contextlib.contextmanager
def baseline_tree(rev: str) -> Iterator[Path]:
    """The repository at `rev`, checked out beside the benchmark's scratch files, removed after.

    `git worktree add --detach bench/out/baseline-<rev> <rev>`: the dashboard as it was, served
    and timed in the same rounds as the tree under test.
    """
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, check=True,
                         capture_output=True, text=True).stdout.strip()
    path = OUT / f"baseline-{sha}"
    OUT.mkdir(parents=True, exist_ok=True)
    if path.exists():
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=REPO, check=False)
    subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=REPO, check=True,
                   capture_output=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=REPO, check=False)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=False)


def python_env(tree: Path) -> dict[str, str]:
    """os.environ for a Python subprocess that imports `haixi` from `tree`."""
    return {**os.environ, **_env(tree)}
