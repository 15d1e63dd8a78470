# The one task runner for the Haixi dashboard.

PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: venv run lint test schema bench screenshots clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

run: $(STAMP)
	.venv/bin/streamlit run dashboard.py --server.address 127.0.0.1 --browser.gatherUsageStats false

lint: $(STAMP)
	$(PY) -m ruff check .

# Two pytest-xdist workers, each with its own dashboard server (a port of its own) and Chromium:
# on a 2-core machine the browser tests wait on the server and the browser as much as they
# compute, so two workers beat one (see the commit). --dist loadgroup keeps the tests of one
# xdist_group (the hosted demo's server and venv, the hostile fact file's server) on one worker.
XDIST ?= -n 2 --dist loadgroup

test: lint
	$(PY) -m pytest -q $(XDIST)

schema: $(STAMP)
	$(PY) -m haixi schema > data/facts.schema.json
	$(PY) -m haixi fields --update docs/curating.md

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
