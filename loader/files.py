"""Which raw files a data directory holds: the contract's tables, as CSV or Parquet.

Layouts (generator ``--format csv|parquet``): ``DIR/<table>.csv``, or
``DIR/<table>/<table>.parquet`` and, for event tables split by month,
``DIR/<table>/<table>-YYYY-MM.parquet``. ``manifest.json`` may name the format;
without it the files decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.schema import TABLES

FORMATS = ("csv", "parquet")


class LoadError(Exception):
    """A problem the user can fix (missing directory or file, unknown format)."""


@dataclass(frozen=True)
class RawTable:
    """One contract table and the files that hold it."""

    name: str
    columns: tuple[str, ...]
    format: str
    files: tuple[Path, ...]


def _parquet_files(data_dir: Path, table: str) -> tuple[Path, ...]:
    folder = data_dir / table
    single = folder / f"{table}.parquet"
    monthly = sorted(folder.glob(f"{table}-[0-9][0-9][0-9][0-9]-[0-9][0-9].parquet"))
    return ((single,) if single.is_file() else ()) + tuple(monthly)


def detect_format(data_dir: Path) -> str:
    """The manifest's ``format`` if it says one, else the format of the files."""
    manifest = data_dir / "manifest.json"
    if manifest.is_file():
        try:
            declared = json.loads(manifest.read_text()).get("format")
        except (json.JSONDecodeError, AttributeError) as exc:
            raise LoadError(f"{manifest}: not a JSON object ({exc})") from None
        if declared is not None:
            if declared not in FORMATS:
                raise LoadError(
                    f"{manifest}: format {declared!r}, expected one of {FORMATS}"
                )
            return str(declared)
    first = next(iter(TABLES))
    if (data_dir / f"{first}.csv").is_file():
        return "csv"
    if _parquet_files(data_dir, first):
        return "parquet"
    raise LoadError(
        f"{data_dir}: no raw files ({first}.csv or {first}/{first}*.parquet); "
        "run python -m generator --out DIR first"
    )


def discover(data_dir: Path) -> list[RawTable]:
    """Every contract table with its files; a missing table is an error."""
    if not data_dir.is_dir():
        raise LoadError(f"data directory {data_dir} does not exist")
    fmt = detect_format(data_dir)
    tables: list[RawTable] = []
    missing: list[str] = []
    for name, columns in TABLES.items():
        if fmt == "csv":
            path = data_dir / f"{name}.csv"
            files: tuple[Path, ...] = (path,) if path.is_file() else ()
        else:
            files = _parquet_files(data_dir, name)
        if not files:
            missing.append(name)
            continue
        column_names = tuple(column for column, _ in columns)
        tables.append(RawTable(name, column_names, fmt, files))
    if missing:
        raise LoadError(f"{data_dir}: no {fmt} file for table(s) {', '.join(missing)}")
    return tables
