"""Script time of a tree's pages in AppTest, one round per line read on stdin (bench/script.py).

Run by path as `python bench/apptest_worker.py TREE FLOOR_SCRIPT PAGES LANGS` (the last two
comma-separated), in a process of its own, so that it imports `haixi` from TREE (the tree under
test or a baseline checkout) and nothing else. Each line on stdin asks for one round: every
target run once in both modes; the answer is one line `BENCH-JSON {...}` on stdout. Imports
nothing from the bench package, which may differ in TREE.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

MODES = ("server", "apptest")


def _quiet_streamlit() -> None:
    """No "missing ScriptRunContext" warnings from AppTest's main thread in the output."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def main(tree: Path, floor: Path, pages: list[str], langs: list[str]) -> None:
    sys.path.insert(0, str(tree))
    import streamlit.testing.v1.app_test as app_test_mod
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    _quiet_streamlit()
    runs: list[dict] = []
    original_thread = LocalScriptRunner._run_script_thread

    def timed_thread(self) -> None:
        start = time.perf_counter()
        try:
            original_thread(self)
        finally:
            elapsed = time.perf_counter() - start
            events = list(getattr(self, "events", []))
            queue = getattr(self.forward_msg_queue, "_queue", [])
            runs.append({
                "script_s": elapsed,
                "passes": sum(1 for e in events if e == ScriptRunnerEvent.SCRIPT_STARTED),
                "msg_bytes": sum(m.ByteSize() for m in queue),
            })

    class _ServerLikePagesManager(PagesManager):
        """AppTest resets `uses_pages_directory` on this subclass, leaving the real flag alone."""

    # A server compiles each script once (its ScriptCache lives as long as the server);
    # AppTest makes a new ScriptCache per run, which would add the compile time to every run.
    shared_script_cache = ScriptCache()
    shared_components: dict = {}

    def set_mode(mode: str) -> None:
        if mode == "server":
            # As a running server has it after its first session: st.navigation has switched
            # folder mode off, so a run is one pass of dashboard.py + the page.
            app_test_mod.PagesManager = _ServerLikePagesManager
            app_test_mod.ScriptCache = lambda: shared_script_cache
            PagesManager.uses_pages_directory = False
        else:
            # AppTest as-is: folder mode first (the page alone, stopped by the page's rerun
            # through navigation), then the pass through dashboard.py; a compile per run.
            app_test_mod.PagesManager = PagesManager
            app_test_mod.ScriptCache = ScriptCache

    def one_run(page: str | None, lang: str | None) -> dict:
        path = floor if page is None else tree / "dashboard.py"
        at = AppTest.from_file(str(path), default_timeout=120)
        if "manager" in shared_components:
            # The component manifest scan (~0.1-0.3 s) is AppTest set-up, once per server.
            at._bidi_component_manager = shared_components["manager"]
        if page is not None:
            if page != "overview":
                at.switch_page(f"pages/{page}.py")
            at.query_params["lang"] = lang
        start = time.perf_counter()
        at.run()
        wall = time.perf_counter() - start
        if "manager" not in shared_components:
            shared_components["manager"] = getattr(at, "_bidi_component_manager", None)
            _quiet_streamlit()  # the loggers of modules the first run imported
        record = dict(runs[-1])
        record["wall_s"] = wall
        record["exceptions"] = [str(e.value)[:200] for e in at.exception]
        record["errors"] = [str(e.value)[:200] for e in at.error]
        record["title"] = at.title[0].value if len(at.title) else ""
        counts: dict[str, int] = {}

        def walk(node) -> None:
            kind = getattr(node, "type", type(node).__name__)
            counts[kind] = counts.get(kind, 0) + 1
            for child in getattr(node, "children", {}).values():
                walk(child)

        walk(at._tree)
        record["elements"] = counts
        record["plotly_spec_bytes"] = sum(len(c.proto.spec) for c in at.get("plotly_chart"))
        return record

    targets = [(None, None)] + [(page, lang) for page in pages for lang in langs]
    LocalScriptRunner._run_script_thread = timed_thread
    try:
        for line in sys.stdin:
            shift = int(line.strip() or 0) % len(targets)
            answer: dict[str, dict] = {}
            for page, lang in targets[shift:] + targets[:shift]:
                name = "floor" if page is None else f"{page}/{lang}"
                for mode in MODES:  # both modes side by side, so noise hits both alike
                    set_mode(mode)
                    answer.setdefault(name, {})[mode] = one_run(page, lang)
            print("BENCH-JSON " + json.dumps(answer), flush=True)
    finally:
        LocalScriptRunner._run_script_thread = original_thread
        app_test_mod.PagesManager = PagesManager
        app_test_mod.ScriptCache = ScriptCache


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(","), sys.argv[4].split(","))
