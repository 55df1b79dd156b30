"""``python -m loader --target duckdb|postgres|spark [--data DIR]``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .files import LoadError, RawTable, discover
from .profile import TARGETS, target_settings
from .world import WorldError, create_statements, world_row

# (tables, the target's settings, SQL to run after the tables) -> rows per table
Loader = Callable[[list[RawTable], dict[str, Any], list[str]], dict[str, int]]


def _loader(target: str) -> Loader:
    # Imported on demand: each engine's client is an optional extra.
    if target == "duckdb":
        from .duckdb_loader import load
    elif target == "postgres":
        try:
            from .postgres_loader import load
        except ImportError:
            raise LoadError(
                "the postgres target needs the extra: pip install -e '.[postgres]'"
            ) from None
    else:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            raise LoadError(
                "the spark target needs the extra: pip install -e '.[spark]'"
            ) from None
        from .spark_loader import load
    return load


def load(target: str, data_dir: Path) -> dict[str, int]:
    """Load every raw table of ``data_dir`` into ``target``; rows per table."""
    tables = discover(data_dir)
    # The world the files hold, as raw.world, for dbt's world guard and
    # freshness on engines that cannot read manifest.json (DuckDB reads it).
    try:
        world = world_row(data_dir)
    except WorldError as exc:
        raise LoadError(str(exc)) from None
    after = [] if target == "duckdb" else create_statements(world, target)
    return _loader(target)(tables, target_settings(target), after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loader",
        description="Load the raw files into schema raw of a dbt target "
        "(connection from profiles.yml).",
    )
    parser.add_argument("--target", required=True, choices=TARGETS)
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("CARTIFY_DATA_DIR", "data/raw")),
        help="directory of the raw files (default: $CARTIFY_DATA_DIR or data/raw)",
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        rows = load(args.target, args.data.resolve())
    except LoadError as exc:
        print(f"loader: error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(
            f"loader: {len(rows)} tables, {sum(rows.values()):,} rows into "
            f"{args.target} schema raw in {time.perf_counter() - started:.1f} s"
        )
    return 0
