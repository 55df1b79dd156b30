"""Prove that a refactoring moved no mart figure: export the marts, compare later.

    python scripts/compare_marts.py export --db warehouse/cartify.duckdb \
        --schema main --out /tmp/marts_before
    python scripts/compare_marts.py compare --before /tmp/marts_before \
        --db warehouse/cartify.duckdb --schema marts

`export` writes every relation built from models/marts/ (read from the dbt
manifest in target/) to one Parquet file per mart. `compare` checks each
exported mart against the warehouse's relation of the same name: the columns
present on both sides (after applying RENAMES) must hold the same rows, as
multisets (EXCEPT ALL both ways), and it lists the columns only one side has.
A mart that was moved to another model (MOVED) is compared there. Exit status
0 when every compared mart is equal, 1 otherwise, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

# Columns renamed without a change of meaning: (mart, old name) -> new name.
# Their values must still be equal; see CHANGELOG.md.
RENAMES: dict[tuple[str, str], str] = {
    ("customer_segmentation", "lifetime_value"): "lifetime_gross_profit",
    ("customer_segmentation", "purchase_frequency"): (
        "orders_per_month_since_first_order"
    ),
    ("kpi_summary", "customers"): "cumulative_customers",
}

# Columns that left a mart for another one at their own grain:
# (old mart, column) -> (new mart, the new mart's key columns shared with
# the old mart). Compared as the distinct (key, value) pairs of the old mart.
MOVED: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("funnel_steps", "cart_abandonment_rate"): (
        "funnel_performance",
        ("session_month", "traffic_source"),
    ),
}


def _mart_names(manifest: Path) -> list[str]:
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sorted(
        node["alias"]
        for node in nodes
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
    )


def export(db: Path, schema: str, out: Path, manifest: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db), read_only=True) as con:
        for mart in _mart_names(manifest):
            target = out / f"{mart}.parquet"
            con.execute(f"copy {schema}.\"{mart}\" to '{target}' (format parquet)")
            print(f"exported {mart}")
    return 0


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    rows = con.execute(f"describe select * from {relation}").fetchall()
    return [row[0] for row in rows]


def _differences(con: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    row = con.execute(
        f"""
        select
            (select count(*) from (
                select * from {left} except all select * from {right}))
            + (select count(*) from (
                select * from {right} except all select * from {left}))
        """
    ).fetchone()
    return int(row[0]) if row else -1


def compare(before: Path, db: Path, schema: str) -> int:
    files = sorted(before.glob("*.parquet"))
    if not files:
        print(f"error: no exported marts in {before}", file=sys.stderr)
        return 2
    failed = False
    with duckdb.connect(str(db), read_only=True) as con:
        for file in files:
            mart = file.stem
            old = f"read_parquet('{file}')"
            new = f'{schema}."{mart}"'
            old_columns = _columns(con, old)
            new_columns = _columns(con, new)
            pairs = [
                (column, RENAMES.get((mart, column), column))
                for column in old_columns
            ]
            kept = [(o, n) for o, n in pairs if n in new_columns]
            dropped = [o for o, n in pairs if n not in new_columns]
            added = sorted(set(new_columns) - {n for _, n in kept})
            left = ", ".join(f'"{o}" as "{n}"' for o, n in kept)
            right = ", ".join(f'"{n}"' for _, n in kept)
            differing = _differences(
                con, f"(select {left} from {old})", f"(select {right} from {new})"
            )
            old_rows = con.execute(f"select count(*) from {old}").fetchone()
            status = "equal" if differing == 0 else f"DIFFERS ({differing} rows)"
            failed |= differing != 0
            renamed = [f"{o}->{n}" for o, n in kept if o != n]
            print(
                f"{mart}: {old_rows[0] if old_rows else 0} rows, "
                f"{len(kept)} columns {status}"
                + (f"; renamed {renamed}" if renamed else "")
                + (f"; dropped {dropped}" if dropped else "")
                + (f"; added {added}" if added else "")
            )
            for column in dropped:
                if (mart, column) not in MOVED:
                    continue
                target, keys = MOVED[(mart, column)]
                key_list = ", ".join(keys)
                moved_differing = _differences(
                    con,
                    f"(select distinct {key_list}, {column} from {old})",
                    f'(select {key_list}, {column} from {schema}."{target}")',
                )
                failed |= moved_differing != 0
                print(
                    f"  {column} moved to {target}: "
                    + ("equal" if moved_differing == 0 else "DIFFERS")
                )
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    export_parser = commands.add_parser("export", help="write every mart to Parquet")
    export_parser.add_argument("--db", type=Path, required=True)
    export_parser.add_argument("--schema", default="marts")
    export_parser.add_argument("--out", type=Path, required=True)
    export_parser.add_argument(
        "--manifest", type=Path, default=Path("target/manifest.json")
    )
    compare_parser = commands.add_parser("compare", help="compare with the warehouse")
    compare_parser.add_argument("--before", type=Path, required=True)
    compare_parser.add_argument("--db", type=Path, required=True)
    compare_parser.add_argument("--schema", default="marts")
    args = parser.parse_args()
    if not args.db.exists():
        print(f"error: no warehouse at {args.db}", file=sys.stderr)
        return 2
    if args.command == "export":
        if not args.manifest.exists():
            print(f"error: no dbt manifest at {args.manifest}", file=sys.stderr)
            return 2
        return export(args.db, args.schema, args.out, args.manifest)
    return compare(args.before, args.db, args.schema)


if __name__ == "__main__":
    raise SystemExit(main())
