# The one task runner for the Haixi dashboard.

PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: venv run cluster lint test schema messages bench screenshots clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --upgrade pip
	# --no-compile: Python compiles a module when it is first imported; pip compiling every
	# file of every package beforehand is seconds of CI for files no test imports.
	$(PY) -m pip install --no-compile -r requirements-dev.txt
	touch $@

# The file watcher is on for a developer (code reloads on save); .streamlit/config.toml turns it
# off wherever else the app is served.
run: $(STAMP)
	.venv/bin/streamlit run dashboard.py --server.address 127.0.0.1 --browser.gatherUsageStats false \
		--server.fileWatcherType auto

# REPLICAS dashboards behind HAProxy (Debian's haproxy) at http://127.0.0.1:$(CLUSTER_PORT)/
# until Ctrl-C; see deploy/ and README's "Self-hosting".
REPLICAS ?= 2
CLUSTER_PORT ?= 8080

cluster: $(STAMP)
	$(PY) -m deploy.cluster run --replicas $(REPLICAS) --port $(CLUSTER_PORT)

# lint-imports checks the import layers, [tool.importlinter] in pyproject.toml.
lint: $(STAMP)
	$(PY) -m ruff check .
	.venv/bin/lint-imports --no-cache

# Three pytest-xdist workers, each with its own dashboard server and Chromium (a port of its
# own): a browser test waits on its server and its browser, so a third worker still gains on 2
# cores. `CI=true bash .ci/run` on a fresh clone, whole (venv, lint, 1,449 tests), on this 2-core
# machine with nothing else running: 346, 353 and 341 s (2026-12-06); serial pytest was 660 s.
# The run is CPU-bound (Chromium about two thirds of it: a page load is ~3 s of CPU), so what
# shortens it is fewer page loads and server starts, not more workers.
# --dist loadfile keeps each test file on one worker, so a module's server, cluster or hosted
# venv is started once (xdist_group marks are ignored with pytest 9.2: pytest-xdist issue 1386;
# under --dist loadgroup the hosted tests ran on two workers, which built one venv at once and
# broke each other's ensurepip). --no-loadscope-reorder: the files go out in the order
# tests/conftest.py sorts them, most browser tests first (xdist would sort them by their number
# of tests, which sends the 223 quick AppTests first). XDIST= runs serially.
XDIST ?= -n 3 --dist loadfile --no-loadscope-reorder

test: lint
	$(PY) -m pytest -q $(XDIST)

schema: $(STAMP)
	$(PY) -m haixi schema > data/facts.schema.json
	$(PY) -m haixi fields --update docs/curating.md

# UI strings: extract every message of the code and the templates (babel.cfg) into
# locale/messages.pot (not tracked), then merge it into each language's catalogue: a new
# message comes in empty (translate it), one the code no longer uses goes (docs/curating.md).
messages: $(STAMP)
	.venv/bin/pybabel extract -F babel.cfg --sort-output --add-location=file -o locale/messages.pot .
	.venv/bin/pybabel update -i locale/messages.pot -d locale --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

# BENCH_ARGS: e.g. "--quick" (a smoke run) or "--baseline 8977a78" (also time that revision).
BENCH_ARGS ?=

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

screenshots: $(STAMP)
	$(PY) -m pytest -q $(XDIST) tests/test_pages_browser.py tests/test_browser.py -k screenshot

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis screenshots bench/out
	-git worktree prune  # a baseline checkout (make bench BENCH_ARGS=--baseline) that was in bench/out
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
