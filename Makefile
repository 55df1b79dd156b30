# The two commands of the README:
#   make build   set up .venv, generate the default world, load it, build the warehouse
#   make test    run every test: pytest (generator, macros, end-to-end) and dbt build
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SCALE  ?= 0.1
SEED   ?= 42
DATA   ?= data/raw
# Raw file format: csv or parquet (generator --format; the DuckDB source reads
# either, loader.publish tells it which from manifest.json: docs/decisions.md D73).
FORMAT ?= csv
DB     ?= warehouse/cartify.duckdb
# dbt target for `make load` / `make dbt-build`: duckdb, postgres or spark
# (README "Engines"; profiles.yml holds the connections).
TARGET ?= duckdb

export DBT_PROFILES_DIR := $(CURDIR)
export CARTIFY_DATA_DIR := $(abspath $(DATA))
export CARTIFY_DUCKDB_PATH := $(abspath $(DB))
# Local Spark (session method): metastore and warehouse files, git-ignored.
export CARTIFY_SPARK_DIR ?= $(CURDIR)/.spark

.PHONY: build test setup setup-build check-python data seed load dbt-build pytest \
	lint lint-sql bench docs clean dashboard browser erd screenshots docs-static \
	pg-start pg-stop test-engines

build: setup-build data dbt-build  ## set up, generate, load and build; print headline figures
	@$(BIN)/python scripts/summary.py --db "$(CARTIFY_DUCKDB_PATH)"

test: setup browser lint pytest data dbt-build  ## every test: lint, pytest, then dbt build (data + unit tests)
	@echo "all tests passed"

# Two install stamps. `make build` installs only the warehouse (pyproject's
# dependencies: dbt, DuckDB, the generator's libraries); `make test` and `make setup`
# add the dev and orchestration extras (pytest, ruff, mypy, sqlfluff, pre-commit,
# MetricFlow, Dagster) to the same venv. A stamp is remade when pyproject.toml changes.
BUILD_STAMP := $(BIN)/.installed-build
TEST_STAMP  := $(BIN)/.installed-test
# The extras `make test` needs (pyproject's optional-dependencies).
# dashboard: Streamlit and Playwright for the dashboard and its browser tests.
# postgres and spark: test_engines.py builds on all three engines (README "Engines").
TEST_EXTRAS := dev,orchestration,dashboard,postgres,spark

setup-build: $(BUILD_STAMP)
setup: $(TEST_STAMP)

# The supported Python range is pyproject's requires-python (">=3.X,<3.Y"): it is
# checked with the interpreter itself (no import beyond sys, so any Python can answer)
# before a venv exists, so an unsupported Python leaves nothing half-built.
comma := ,
PY_RANGE := $(shell sed -n 's/^requires-python = "\(.*\)"/\1/p' pyproject.toml)
PY_MIN   := $(subst .,$(comma),$(patsubst >=%,%,$(word 1,$(subst $(comma), ,$(PY_RANGE)))))
PY_BELOW := $(subst .,$(comma),$(patsubst <%,%,$(word 2,$(subst $(comma), ,$(PY_RANGE)))))

PY_NEEDS := cartify needs Python $(PY_RANGE) (e.g. make build PYTHON=python3.12)
CHECK_PYTHON := \
	command -v $(PYTHON) >/dev/null 2>&1 || { \
		echo "error: $(PYTHON) not found; $(PY_NEEDS)" >&2; exit 2; }; \
	$(PYTHON) -c 'import sys; sys.exit(0 if ($(PY_MIN)) <= sys.version_info[:2] < ($(PY_BELOW)) else 2)' \
		>/dev/null 2>&1 || { \
		echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null); $(PY_NEEDS)" >&2; exit 2; }; \
	$(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1 || { \
		echo "error: $(PYTHON) cannot create a venv (Debian/Ubuntu: apt install python3-venv)" >&2; exit 2; }

check-python:
	@$(CHECK_PYTHON)

$(BUILD_STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
		$(CHECK_PYTHON); \
		echo "==> creating $(VENV) with $$($(PYTHON) --version 2>&1)"; \
		$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	fi
	@echo "==> installing the warehouse stack into $(VENV) (dbt-core, dbt-duckdb, DuckDB, the generator's libraries)"
	$(BIN)/python -m pip install --progress-bar on -e .
	@touch $@

$(TEST_STAMP): $(BUILD_STAMP)
	@echo "==> installing the extras $(TEST_EXTRAS) into $(VENV) (pytest, ruff, mypy, sqlfluff, pre-commit, MetricFlow, Dagster)"
	$(BIN)/python -m pip install --progress-bar on -e '.[$(TEST_EXTRAS)]'
	@touch $@

# The default world takes about a second to generate, so it is always rebuilt: the
# data on disk can never be stale against the generator's code.
data: setup-build
	$(BIN)/python -m generator --scale $(SCALE) --seed $(SEED) --format $(FORMAT) --out $(DATA)

# The extra of a TARGET other than duckdb, installed on first use.
ENGINE_STAMP := $(if $(filter duckdb,$(TARGET)),,$(BIN)/.installed-engine-$(TARGET))

$(BIN)/.installed-engine-%: $(BUILD_STAMP)
	$(BIN)/python -m pip install --progress-bar on -e '.[$*]'
	@touch $@

# Raw files into schema raw of TARGET (python -m loader; idempotent).
load: setup-build $(ENGINE_STAMP)
	$(BIN)/python -m loader --target $(TARGET) --data $(DATA)

# DuckDB: write, audit, publish (loader/publish.py): the raw contract check, then
# dbt build into warehouse/.building/ (a copy of the warehouse, or an empty file
# when the raw world does not continue the one it holds), moved over $(DB) only
# when every model and test passed; staging reads the files itself (D10, D25).
# Other targets: the loader first, then dbt build (README "Engines" says how to
# publish atomically on a server warehouse).
dbt-build: setup-build $(ENGINE_STAMP)
	@mkdir -p $(dir $(CARTIFY_DUCKDB_PATH))
	@if [ "$(TARGET)" = duckdb ]; then \
		$(BIN)/python -m loader.publish --db $(CARTIFY_DUCKDB_PATH) --data $(CARTIFY_DATA_DIR); \
	else \
		$(MAKE) --no-print-directory load && $(BIN)/dbt build --target $(TARGET); \
	fi

# A throwaway PostgreSQL on localhost:54329 (scripts/pg_cluster.sh).
pg-start:
	scripts/pg_cluster.sh start

pg-stop:
	scripts/pg_cluster.sh stop

pytest: setup
	$(BIN)/python -m pytest -q

# The cross-engine proof (tests/python/test_engines.py) alone: one world built on
# DuckDB, PostgreSQL and Spark, marts compared, the weekly run and the reporting
# role. `make test` runs it too (with the rest of pytest).
test-engines: setup
	scripts/pg_cluster.sh start
	$(BIN)/python -m pytest -q -m engines tests/python/test_engines.py

lint: setup lint-sql
	$(BIN)/ruff check generator loader tests/python bench orchestration scripts dashboard
	$(BIN)/mypy

# SQL style (.sqlfluff, STYLE.md) over every SQL file dbt renders. The dbt templater
# compiles each model against an in-memory DuckDB, so the lint neither needs nor
# touches the warehouse (and lints the full-refresh branch of incremental models).
# Any violation fails make lint, and so make test (docs/decisions.md D23).
lint-sql: setup
	CARTIFY_DUCKDB_PATH=:memory: $(BIN)/sqlfluff lint --processes 2 models tests macros snapshots

bench: setup-build  ## benchmarks: generator and whole pipeline
	$(BIN)/python -m bench

# The dashboard over the marts (dashboard/; needs a built warehouse: make build).
dashboard: setup
	$(BIN)/streamlit run dashboard/app.py --server.headless true \
		--browser.gatherUsageStats false --client.toolbarMode viewer

# Debian's Chromium for the browser tests (Playwright drives it; Playwright's own
# browser download is not used). Skipped when it is already there.
browser:
	@command -v chromium >/dev/null || { \
		apt-get update -qq && \
		apt-get -o DPkg::Lock::Timeout=900 install -y -qq chromium; }

# The ER diagrams (docs/erd.md, docs/img/erd_*.svg) from the manifest's tests and
# contracts; a test fails when the committed ones are out of date.
erd: setup
	$(BIN)/dbt parse --quiet
	$(BIN)/python scripts/erd.py --manifest target/manifest.json

# The README's dashboard screenshots (docs/img/dashboard_*.png), from the warehouse
# of this checkout (make build first).
screenshots: setup browser
	$(BIN)/python -m dashboard.browser --db "$(CARTIFY_DUCKDB_PATH)" --out docs/img

# One self-contained HTML page (target/static_index.html) that works offline.
docs-static: setup
	$(BIN)/dbt docs generate --static

docs: setup-build dbt-build
	$(BIN)/dbt docs generate && $(BIN)/dbt docs serve

clean:
	rm -rf target logs warehouse $(DATA) .spark
