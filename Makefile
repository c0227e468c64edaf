# fwatlas – two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out
export HF_HUB_OFFLINE := 1
export RAY_USAGE_STATS_ENABLED := 0

.PHONY: demo test test-clone lint typecheck unit bench browser fuzz probe clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# runtime only (what a user installs)
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# runtime + test, report and ray extras
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,report,ray]'
	touch $@ $(VENV)/.runtime

## demo: set up and run the main job on the bundled reference (offline)
demo: export FWATLAS_DB = $(CURDIR)/$(OUT)/demo.duckdb
demo: export COLUMNS ?= 150
demo: $(VENV)/.runtime
	@mkdir -p $(OUT)
	$(BIN)/fwatlas status
	$(BIN)/fwatlas availability
	$(BIN)/fwatlas availability --top 30
	$(BIN)/fwatlas verdict
	$(BIN)/fwatlas advise --persona industry --target mobile
	$(BIN)/fwatlas advise --persona researcher --need tpu --ruleset article-2022
	$(BIN)/fwatlas availability --json > $(OUT)/availability.json
	$(BIN)/fwatlas report -o $(OUT)/report.html
	@echo "demo output: $(OUT)/report.html (open it in a browser) and $(OUT)/availability.json"

## probe: build the probe environment from the lock (~4 GiB) and measure every deployment
## path (not part of `make test`); the results land in $(OUT)/ and the demo store
PROBE_ENV ?= $(HOME)/.cache/fwatlas/probe-env
probe: export FWATLAS_DB = $(CURDIR)/$(OUT)/demo.duckdb
probe: $(VENV)/.runtime
	@mkdir -p $(OUT)
	$(BIN)/fwatlas probe setup --env $(PROBE_ENV)
	$(BIN)/fwatlas probe run --env $(PROBE_ENV) --results $(OUT)/probe-results.jsonl
	$(BIN)/fwatlas probe results

## browser: Debian's chromium for the browser tests and static PNG export (root only)
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed; browser tests will skip"; fi

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(VENV)/.dev
	$(BIN)/mypy

# one worker per core (TEST_WORKERS=0 runs in one process, e.g. to debug a test)
TEST_WORKERS ?= auto
unit: $(VENV)/.dev browser
	$(BIN)/pytest -q -n $(TEST_WORKERS)

## test: set up and run ruff, mypy and pytest
test: lint typecheck unit

## test-clone: the suite as a clone alone runs it (no ../shared: tests/data's samples stand in);
## fails when more than 5 % of the tests skip
test-clone: $(VENV)/.dev
	FWATLAS_TEST_SHARED=$(CURDIR)/.no-shared-data FWATLAS_MAX_SKIPPED_PERCENT=5 \
	  $(BIN)/pytest -q -n $(TEST_WORKERS) -p no:cacheprovider -rs

## fuzz: the long property-based run – 1,000 mutated inputs per reader; figures in
## test-artifacts/fuzz-figures.json (make test runs 20 per reader) – and the kill -9 crash test
## at all 33 points (make test runs 6)
fuzz: $(VENV)/.dev
	FWATLAS_FUZZ_EXAMPLES=$${FWATLAS_FUZZ_EXAMPLES:-1000} $(BIN)/pytest -q -p no:cacheprovider tests/fuzz
	FWATLAS_CRASH_POINTS=all $(BIN)/pytest -q -p no:cacheprovider tests/store/test_crash.py

## bench: the speed and memory benchmarks (figures and ratios against baselines)
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
