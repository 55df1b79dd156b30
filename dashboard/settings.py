"""Where the dashboard reads from: one place, so a schema or path change is one line."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# The only schema the dashboard reads (docs/decisions.md D55). Every query names
# its relations as `{MARTS}.<mart>`, never another schema.
MARTS_SCHEMA = "marts"

DEFAULT_DUCKDB_PATH = REPO / "warehouse" / "cartify.duckdb"


def duckdb_path() -> Path:
    """The warehouse file: $CARTIFY_DUCKDB_PATH (as dbt's profile reads it), else
    warehouse/cartify.duckdb in the repository."""
    configured = os.environ.get("CARTIFY_DUCKDB_PATH")
    return Path(configured) if configured else DEFAULT_DUCKDB_PATH
