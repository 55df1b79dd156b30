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
# dbt target for `make load` / `make dbt-build`: duckdb, postgres or spark
# (README "Engines"; profiles.yml holds the connections).
TARGET ?= duckdb

export DBT_PROFILES_DIR := $(CURDIR)
export CARTIFY_DATA_DIR := $(abspath $(DATA))
export CARTIFY_DUCKDB_PATH := $(abspath $(DB))
# Local Spark (session method): metastore and warehouse files, git-ignored.
export CARTIFY_SPARK_DIR ?= $(CURDIR)/.spark

.PHONY: build test setup data seed load dbt-build pytest lint bench docs clean \
	pg-start pg-stop

build: setup data dbt-build  ## set up, generate, load and build; print headline figures
	@$(BIN)/python scripts/summary.py --db "$(CARTIFY_DUCKDB_PATH)"

test: setup lint pytest data dbt-build  ## every test: pytest, then dbt build (data + unit tests)
	@echo "all tests passed"

setup: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,orchestration,postgres,spark]'
	@touch $@

# The default world takes about a second to generate, so it is always rebuilt: the
# data on disk can never be stale against the generator's code.
data: setup
	$(BIN)/python -m generator --scale $(SCALE) --seed $(SEED) --out $(DATA)

# Raw files into schema raw of TARGET (python -m loader; idempotent).
load: setup
	$(BIN)/python -m loader --target $(TARGET) --data $(DATA)

dbt-build: setup
	@mkdir -p $(dir $(CARTIFY_DUCKDB_PATH))
	@if [ "$(TARGET)" != duckdb ]; then $(MAKE) --no-print-directory load; fi
	$(BIN)/dbt build --target $(TARGET)

# A throwaway PostgreSQL on localhost:54329 (scripts/pg_cluster.sh).
pg-start:
	scripts/pg_cluster.sh start

pg-stop:
	scripts/pg_cluster.sh stop

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
	rm -rf target logs warehouse $(DATA) .spark
