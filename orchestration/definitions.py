"""The Definitions that `dagster dev -m orchestration.definitions` loads.

Paths and the world's size come from the environment (see `Settings.from_env`):
CARTIFY_DATA_DIR, CARTIFY_DUCKDB_PATH, CARTIFY_SCALE, CARTIFY_SEED, CARTIFY_WEEKS and
DBT_TARGET_PATH, with the Makefile's defaults.
"""

from __future__ import annotations

from orchestration.assets import Settings, build_definitions

defs = build_definitions(Settings.from_env())
