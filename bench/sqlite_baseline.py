"""The way the original projects computed the KPIs: raw CSVs into SQLite, pandas SQL.

Every generated CSV is read whole with `pandas.read_csv` and written with
`DataFrame.to_sql` into a fresh SQLite file; each table then gets an index on its
primary key (docs/raw_data.md), as the source databases of those projects had. Then
each KPI query of bench/kpis.py runs through `pandas.read_sql`. Without the key indexes
SQLite's planner joins orders to sessions by nested scans (35 s at scale 0.1, hours at
scale 1): that would measure a missing index, not the approach.

Run as its own process so the benchmark can measure its wall time and peak RSS:

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


# Primary keys of the generated tables (docs/raw_data.md).
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "products": ("product_id",),
    "inventory": ("product_id",),
    "campaigns": ("campaign_id",),
    "ads": ("ad_id",),
    "ad_daily_stats": ("ad_id", "stat_date"),
    "discounts": ("discount_id",),
    "website_sessions": ("session_id",),
    "pageviews": ("pageview_id",),
    "orders": ("order_id",),
    "order_items": ("order_item_id",),
    "payments": ("payment_id",),
    "refunds": ("refund_id",),
    "reviews": ("review_id",),
}


def load(data_dir: Path, connection: sqlite3.Connection) -> dict[str, Any]:
    """Load every CSV of `data_dir` into SQLite; per-table rows and seconds."""
    tables: dict[str, Any] = {}
    for csv_path in sorted(data_dir.glob("*.csv")):
        started = time.perf_counter()
        frame = pd.read_csv(csv_path)
        table = csv_path.stem
        frame.to_sql(table, connection, if_exists="replace", index=False)
        if table in PRIMARY_KEYS:
            columns = ", ".join(f'"{column}"' for column in PRIMARY_KEYS[table])
            # Not unique: a raw extract may repeat a key (staging deduplicates).
            connection.execute(
                f'create index "pk_{table}" on "{table}" ({columns})'
            )
        connection.commit()
        tables[table] = {
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
