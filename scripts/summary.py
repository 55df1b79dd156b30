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
    tables = [
        name
        for (name,) in con.execute(
            """
            select table_name
            from duckdb_tables()
            where schema_name = 'marts'
            order by table_name
            """
        ).fetchall()
    ]
    print(f"\nWarehouse: {db.resolve()}")
    print("Marts (schema marts, what a BI tool reads; rows):")
    for name in tables:
        query = f'select count(*) from marts."{name}"'
        (rows,) = con.execute(query).fetchone() or (0,)
        print(f"  {name:<34} {rows:>12,}")
    if "kpi_summary" in tables:
        frame = con.execute(
            "select * from marts.kpi_summary where period_type = 'all_time'"
        ).fetchdf()
        if not frame.empty:
            print("\nHeadline figures, whole period (kpi_summary, GBP):")
            for column, value in frame.iloc[0].items():
                if isinstance(value, float):
                    value = f"{value:,.4f}"
                print(f"  {column:<34} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
