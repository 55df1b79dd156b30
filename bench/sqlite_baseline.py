"""The way the original projects computed the KPIs: raw CSVs into SQLite, pandas SQL.

Every generated CSV is read whole with `pandas.read_csv` and written with
`DataFrame.to_sql` into a fresh SQLite file (no indexes, as those notebooks did), then
each KPI query of bench/kpis.py is run with `pandas.read_sql`. Run as its own process so
the benchmark can measure its wall time and peak RSS:

    python -m bench.sqlite_baseline --data DIR --sqlite FILE --results FILE.json
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from bench.kpis import KPIS


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _jsonable(value.item())
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (NaN becomes null)."""
    return [
        {str(key): _jsonable(value) for key, value in record.items()}
        for record in frame.to_dict(orient="records")
    ]


def load(data_dir: Path, connection: sqlite3.Connection) -> dict[str, Any]:
    """Load every CSV of `data_dir` into SQLite; per-table rows and seconds."""
    tables: dict[str, Any] = {}
    for csv_path in sorted(data_dir.glob("*.csv")):
        started = time.perf_counter()
        frame = pd.read_csv(csv_path)
        frame.to_sql(csv_path.stem, connection, if_exists="replace", index=False)
        connection.commit()
        tables[csv_path.stem] = {
            "rows": len(frame),
            "seconds": time.perf_counter() - started,
        }
        del frame
    return tables


def run(data_dir: Path, sqlite_path: Path) -> dict[str, Any]:
    """Load, then run every KPI query; timings and results."""
    if sqlite_path.exists():
        sqlite_path.unlink()
    connection = sqlite3.connect(sqlite_path)
    try:
        started = time.perf_counter()
        tables = load(data_dir, connection)
        load_seconds = time.perf_counter() - started
        kpis: dict[str, Any] = {}
        for kpi in KPIS:
            started = time.perf_counter()
            frame = pd.read_sql(kpi.sqlite_sql, connection)
            kpis[kpi.name] = {
                "seconds": time.perf_counter() - started,
                "records": frame_records(frame),
            }
    finally:
        connection.close()
    return {
        "load_seconds": load_seconds,
        "kpi_seconds": sum(kpi["seconds"] for kpi in kpis.values()),
        "tables": tables,
        "kpis": kpis,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sqlite_baseline")
    parser.add_argument("--data", type=Path, required=True, help="generated CSVs")
    parser.add_argument("--sqlite", type=Path, required=True, help="SQLite file")
    parser.add_argument("--results", type=Path, required=True, help="JSON out")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: no data directory at {args.data}", file=sys.stderr)
        return 2
    results = run(args.data, args.sqlite)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
