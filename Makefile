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

# Plain pytest (no -n) for now: with -n 2 --dist loadgroup two CI runs on a fresh clone each
# failed the hosted demo's venv build (python -m venv: ensurepip exit 1; the venv was then built
# by a second attempt), and the machine was too loaded to measure a gain (browser tests: serial
# 927 s at load 12-19, -n 2 876 s at load 20-25). XDIST="-n 2 --dist loadgroup" tries it.
XDIST ?=

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
