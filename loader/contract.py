"""Raw contract checks, run before anything reads a world into the warehouse:
``python -m loader.contract DIR [--extra-columns warn|error]``.

For every table of the contract (``generator.schema.TABLES``, the single source
of the column lists; docs/raw_data.md describes them) it checks that the world in
DIR has the table's file, that the file is not empty, that it has rows when the
manifest says the table has rows, that no contract column is missing and (as a
warning unless ``--extra-columns error``) that it has no column the contract does
not know. Each problem is one line naming the file and the column; any error
exits with status 1, a usage mistake (no such directory) with 2. Row-level
defects (bad values, truncated rows, bad encoding) are not the contract check's
business: staging quarantines them row by row.

Layouts (manifest.json ``format``): ``csv`` (default): ``DIR/<table>.csv`` with a
header row; ``parquet``: ``DIR/<table>/<table>.parquet`` or
``DIR/<table>/<table>-YYYY-MM.parquet``, columns from the Parquet schema.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NoReturn

from generator.schema import MONEY, TABLES

BOM = "\ufeff"
Level = Literal["error", "warning"]
# Columns the contract allows to be empty (docs/raw_data.md: "nullable", "null
# otherwise"); every other column is required.
NULLABLE: dict[str, frozenset[str]] = {
    "discounts": frozenset({"campaign_id"}),
    "website_sessions": frozenset(
        {
            "customer_id",
            "utm_source",
            "utm_medium",
            "utm_campaign",
            "utm_content",
            "referrer",
        }
    ),
    "orders": frozenset({"discount_id", "shipped_at", "delivered_at"}),
    "order_items": frozenset({"shipped_at", "delivered_at", "returned_at"}),
}
# the contract's type words as the kinds of macros/strict_parse.sql
KINDS = {
    "int": "int",
    "text": "text",
    "double": "double",
    "date": "date",
    "timestamp": "timestamp",
    MONEY: "money",
    "boolean": "boolean",
}
DBT_MACRO = "macros/cartify_raw_contract.sql"


@dataclass(frozen=True)
class Problem:
    level: Level
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


def _manifest(directory: Path) -> dict[str, object]:
    try:
        data = json.loads((directory / "manifest.json").read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise ContractUsageError(
            f"{directory / 'manifest.json'}: unreadable ({exc})"
        ) from None
    return data if isinstance(data, dict) else {}


class ContractUsageError(Exception):
    """The check itself cannot run (no such directory, unreadable manifest)."""


def _csv_header(path: Path) -> tuple[list[str] | None, bool]:
    """(header columns, has at least one row); None when the file is empty."""
    with path.open("rb") as f:
        first = f.readline()
        second = f.readline()
    if not first.strip():
        return None, False
    text = first.decode("utf-8", "replace").lstrip(BOM)
    header = next(csv.reader([text]))
    return [name.strip() for name in header], bool(second.strip())


def _parquet_header(paths: list[Path]) -> tuple[list[str] | None, bool]:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    names: list[str] | None = None
    rows = 0
    for path in paths:
        meta = pq.read_metadata(path)
        names = names or list(meta.schema.to_arrow_schema().names)
        rows += meta.num_rows
    return names, rows > 0


def check(directory: Path, extra_columns: Level = "warning") -> list[Problem]:
    """Every contract problem of the world in ``directory``, errors first."""
    if not directory.is_dir():
        raise ContractUsageError(f"{directory} is not a directory")
    manifest = _manifest(directory)
    parquet = manifest.get("format") == "parquet"
    counts = manifest.get("tables")
    problems: list[Problem] = []
    for table, columns in TABLES.items():
        if parquet:
            folder = directory / table
            path = folder
            files = sorted(folder.glob(f"{table}*.parquet")) if folder.is_dir() else []
            if not files:
                problems.append(Problem("error", path, "missing (no Parquet files)"))
                continue
            header, has_rows = _parquet_header(files)
        else:
            path = directory / f"{table}.csv"
            if not path.is_file():
                problems.append(Problem("error", path, "missing file"))
                continue
            header, has_rows = _csv_header(path)
        if header is None:
            problems.append(Problem("error", path, "empty file (not even a header)"))
            continue
        expected_rows = counts.get(table) if isinstance(counts, dict) else None
        if not has_rows and expected_rows != 0:
            said = f" (manifest.json says {expected_rows})" if expected_rows else ""
            problems.append(Problem("error", path, f"header but no rows{said}"))
        contract = [name for name, _ in columns]
        for name in contract:
            if name not in header:
                problems.append(Problem("error", path, f"missing column {name}"))
        for name in header:
            if name not in contract:
                problems.append(
                    Problem(extra_columns, path, f"unexpected column {name}")
                )
        duplicated = sorted({n for n in header if header.count(n) > 1})
        for name in duplicated:
            problems.append(Problem("error", path, f"column {name} appears twice"))
    problems.sort(key=lambda p: p.level != "error")
    return problems


def dbt_macro() -> str:
    """macros/cartify_raw_contract.sql: the contract's tables and columns for dbt,
    generated from generator/schema.py (a test keeps the file up to date)."""
    lines = [
        "{#- Generated by `python -m loader.contract --dbt-macro` from",
        "    generator/schema.py and loader/contract.py NULLABLE: do not edit.",
        "    Each raw table's columns in file order as [name, kind, required];",
        "    kinds as in macros/strict_parse.sql. -#}",
        "{% macro cartify_raw_contract() %}",
        "    {{ return({",
    ]
    for table, columns in TABLES.items():
        lines.append(f"        '{table}': [")
        nullable = NULLABLE.get(table, frozenset())
        for name, kind in columns:
            required = "false" if name in nullable else "true"
            lines.append(f"            ['{name}', '{KINDS[kind]}', {required}],")
        lines.append("        ],")
    lines += ["    }) }}", "{% endmacro %}", ""]
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m loader.contract",
        description="Check a raw world against the contract before loading it.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "directory", type=Path, nargs="?", help="the world (has manifest.json)"
    )
    parser.add_argument(
        "--dbt-macro",
        action="store_true",
        help=f"print {DBT_MACRO} (the contract for dbt) instead of checking",
    )
    parser.add_argument(
        "--extra-columns",
        choices=("warn", "error"),
        default="warn",
        help="a column the contract does not know: a warning (default) or an error",
    )
    args = parser.parse_args(argv)
    if args.dbt_macro:
        print(dbt_macro(), end="")
        return 0
    if args.directory is None:
        parser.error("the world's directory is required")
    level: Level = "error" if args.extra_columns == "error" else "warning"
    try:
        problems = check(args.directory, level)
    except ContractUsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if any(p.level == "error" for p in problems) else 0


if __name__ == "__main__":
    raise SystemExit(main())
