"""Print where the warehouse is and a few headline figures (the end of `make build`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="path of the DuckDB warehouse")
    args = parser.parse_args()
    db = Path(args.db)
    if not db.exists():
        print(f"error: no warehouse at {db}; run `make build` first", file=sys.stderr)
        return 2
    con = duckdb.connect(str(db), read_only=True)
    tables = con.execute(
        """
        select table_schema, table_name, estimated_size
        from duckdb_tables()
        where table_name not like 'stg_%' and table_name not like 'int_%'
        order by table_schema, table_name
        """
    ).fetchall()
    print(f"\nWarehouse: {db.resolve()}")
    print(f"Open it with: duckdb {db}  (or python -c \"import duckdb; ...\")\n")
    print("Tables (approximate rows):")
    for schema, name, rows in tables:
        print(f"  {schema}.{name:<40} {rows:>12,}")
    names = {name for _, name, _ in tables}
    if "kpi_summary" in names:
        row = con.execute(
            "select * from kpi_summary where period_grain = 'all'"
        ).fetchdf()
        if not row.empty:
            print("\nHeadline figures, whole period (kpi_summary):")
            for column, value in row.iloc[0].items():
                print(f"  {column:<32} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
