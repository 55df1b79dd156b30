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

.PHONY: build test setup data seed dbt-build pytest lint bench docs clean

build: setup data dbt-build  ## set up, generate, load and build; print headline figures
	@$(BIN)/python scripts/summary.py --db "$(CARTIFY_DUCKDB_PATH)"

test: setup lint pytest data dbt-build  ## every test: pytest, then dbt build (data + unit tests)
	@echo "all tests passed"

setup: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,orchestration]'
	@touch $@

# The default world takes about a second to generate, so it is always rebuilt: the
# data on disk can never be stale against the generator's code.
data: setup
	$(BIN)/python -m generator --scale $(SCALE) --seed $(SEED) --out $(DATA)

# Write, audit, publish (loader/publish.py): the raw contract check, then dbt build
# into warehouse/.building/ (a copy of the warehouse, or an empty file when the
# raw world does not continue the one it holds); moved over $(DB) only when every
# model and test passed.
dbt-build: setup
	@mkdir -p $(dir $(CARTIFY_DUCKDB_PATH))
	$(BIN)/python -m loader.publish --db $(CARTIFY_DUCKDB_PATH) --data $(CARTIFY_DATA_DIR)

pytest: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check generator loader tests/python bench orchestration scripts
	$(BIN)/mypy

bench: setup  ## benchmarks: generator and whole pipeline
	$(BIN)/python -m bench

docs: setup dbt-build
	$(BIN)/dbt docs generate && $(BIN)/dbt docs serve

clean:
	rm -rf target logs warehouse $(DATA)
