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
DB     ?= warehouse/cartify.duckdb

export DBT_PROFILES_DIR := $(CURDIR)
export CARTIFY_DATA_DIR := $(abspath $(DATA))
export CARTIFY_DUCKDB_PATH := $(abspath $(DB))

.PHONY: build test setup data seed dbt-build pytest lint bench docs clean dashboard \
	browser erd screenshots docs-static

build: setup data dbt-build  ## set up, generate, load and build; print headline figures
	@$(BIN)/python scripts/summary.py --db "$(CARTIFY_DUCKDB_PATH)"

test: setup browser lint pytest data dbt-build  ## every test: pytest, then dbt build (data + unit tests)
	@echo "all tests passed"

setup: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,orchestration,dashboard]'
	@touch $@

# The default world takes about a second to generate, so it is always rebuilt: the
# data on disk can never be stale against the generator's code.
data: setup
	$(BIN)/python -m generator --scale $(SCALE) --seed $(SEED) --out $(DATA)

dbt-build: setup
	@mkdir -p $(dir $(CARTIFY_DUCKDB_PATH))
	$(BIN)/dbt build

pytest: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check generator tests/python bench orchestration scripts dashboard
	$(BIN)/mypy

bench: setup  ## benchmarks: generator and whole pipeline
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

docs: setup dbt-build
	$(BIN)/dbt docs generate && $(BIN)/dbt docs serve

clean:
	rm -rf target logs warehouse $(DATA)
