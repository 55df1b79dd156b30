"""An existing world read back from its directory, for ``--continue``.

* ``read_table`` parses a CSV with the contract's types; ``ints``, ``secs``,
  ``days``, ``cents`` and ``codes`` turn its columns into numpy arrays.
* ``Hidden`` holds what the simulation knows but the CSVs do not show (personas,
  preferences, popularity, ad weights, planned end dates); it is kept in
  ``_state/*.arrow`` beside the CSVs.
* ``rewrite`` copies a CSV with some rows replaced and rows appended, working on
  lines: a row that did not change keeps its bytes.
* A Parquet world (``--format parquet``: ``DIR/<table>/*.parquet``, event tables
  one file per month) is read as the concatenation of a table's files in name
  order (month order), which is the CSV's row order; ``rewrite_parquet`` writes
  anew only the files holding a changed row or receiving the new rows and links
  the others (docs/decisions.md D78).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.ipc as ipc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from .parquet_writer import COMPRESSION, parquet_path
from .schema import arrow_schema
from .writer import csv_lines, record_batch

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Columns = dict[str, pa.Array]

STATE_DIR = "_state"


class WorldError(Exception):
    """The directory does not hold a world this generator can continue."""


def is_parquet(directory: Path, table: str) -> bool:
    """Whether ``table`` is stored as Parquet (a folder of files) in ``directory``."""
    return (directory / table).is_dir()


def parquet_files(directory: Path, table: str) -> list[Path]:
    """A Parquet table's files in name order: month order for an event table."""
    files = sorted((directory / table).glob("*.parquet"))
    if not files:
        raise WorldError(f"{directory}/{table}/ holds no Parquet file")
    return files


def _read_parquet(
    directory: Path, table: str, columns: Sequence[str] | None
) -> pa.Table:
    schema = arrow_schema(table)
    names = list(columns) if columns is not None else list(schema.names)
    target = pa.schema([schema.field(name) for name in names])
    try:
        # timestamps are stored in milliseconds holding whole seconds
        parts = [
            pq.read_table(path, columns=names).cast(target)
            for path in parquet_files(directory, table)
        ]
    except (pa.ArrowInvalid, OSError, KeyError) as exc:
        raise WorldError(f"cannot read {directory}/{table}/: {exc}") from None
    return pa.concat_tables(parts)


def read_table(
    directory: Path, table: str, columns: Sequence[str] | None = None
) -> pa.Table:
    """A generated table, typed as the contract says (all columns or ``columns``)."""
    if is_parquet(directory, table):
        return _read_parquet(directory, table, columns)
    path = directory / f"{table}.csv"
    if not path.is_file():
        raise WorldError(f"{directory} has no {table}.csv")
    schema = arrow_schema(table)
    try:
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types={f.name: f.type for f in schema},
                include_columns=list(columns) if columns is not None else None,
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise WorldError(f"cannot read {path}: {exc}") from None


def _numbers(column: pa.ChunkedArray, kind: pa.DataType, null: int) -> I64:
    values = column.cast(kind).fill_null(null)
    out: I64 = np.asarray(values.to_numpy(), dtype=np.int64)
    return out


def ints(table: pa.Table, name: str, null: int = -1) -> I64:
    return _numbers(table.column(name), pa.int64(), null)


def secs(table: pa.Table, name: str, null: int = -1) -> I64:
    """A timestamp column as epoch seconds (``null`` where empty)."""
    return _numbers(table.column(name).cast(pa.int64()), pa.int64(), null)


def days(table: pa.Table, name: str) -> I64:
    """A date column as day numbers since the epoch."""
    return _numbers(table.column(name).cast(pa.int32()), pa.int64(), -1)


def cents(table: pa.Table, name: str) -> I64:
    """A money column (decimal(12,2)) as integer cents."""
    values = table.column(name).cast(pa.float64()).fill_null(0.0).to_numpy()
    out: I64 = np.round(np.asarray(values) * 100.0).astype(np.int64)
    return out


def codes(table: pa.Table, name: str, values: Sequence[str]) -> I64:
    """Index of each value of a text column in ``values`` (-1: not there, null)."""
    found = pc.index_in(table.column(name), value_set=pa.array(list(values)))
    return _numbers(found, pa.int64(), -1)


def column(table: pa.Table, name: str, rows: I64) -> pa.Array:
    """Rows of one column, as a contiguous array (for rewriting them)."""
    return table.column(name).take(pa.array(rows)).combine_chunks()


def row_count(directory: Path, table: str) -> int:
    """Rows of a table: the data lines of a CSV (rows never contain a line
    break), or the rows of a Parquet table's files (-1: no such table)."""
    if is_parquet(directory, table):
        try:
            return sum(
                pq.ParquetFile(path).metadata.num_rows
                for path in parquet_files(directory, table)
            )
        except (pa.ArrowInvalid, OSError) as exc:
            raise WorldError(f"cannot read {directory}/{table}/: {exc}") from None
    if not (directory / f"{table}.csv").is_file():
        return -1
    with (directory / f"{table}.csv").open("rb") as f:
        return sum(1 for _ in f) - 1


# -- hidden state ------------------------------------------------------------------


@dataclass
class Hidden:
    """What the simulation knows of each entity beyond its CSV row (index = id - 1)."""

    persona: I64  # customers: index into PERSONAS
    pref1: I64  # preferred category
    pref2: I64
    device: I64  # preferred device
    popularity: F64  # products
    quality: F64
    campaign_until: I64  # planned last day (the period end cuts it short)
    ad_start: I64  # first day the ad runs
    ad_until: I64  # planned last day; OPEN: runs as long as its campaign
    ad_weight: F64  # share of its channel's clicks
    discount_until: I64  # planned last valid day; OPEN: no end (welcome code)
    discount_kind: I64  # 0 promotion, 1 evergreen, 2 welcome


FLOATS = {"popularity", "quality", "ad_weight"}
OPEN = 1 << 40  # "no planned end" (a day number far beyond any period)

STATE_FILES = {
    "customers": ("persona", "pref1", "pref2", "device"),
    "products": ("popularity", "quality"),
    "campaigns": ("campaign_until",),
    "ads": ("ad_start", "ad_until", "ad_weight"),
    "discounts": ("discount_until", "discount_kind"),
}


def save_hidden(directory: Path, hidden: Hidden) -> list[str]:
    """Write the hidden state as Arrow IPC files; returns their relative paths."""
    state = directory / STATE_DIR
    state.mkdir(exist_ok=True)
    paths: list[str] = []
    for entity, names in STATE_FILES.items():
        arrays = [pa.array(getattr(hidden, name)) for name in names]
        table = pa.table(arrays, names=list(names))
        with ipc.new_file(state / f"{entity}.arrow", table.schema) as writer:
            writer.write_table(table)
        paths.append(f"{STATE_DIR}/{entity}.arrow")
    return paths


def load_hidden(directory: Path) -> Hidden | None:
    """The hidden state kept by an earlier continuation (None: never continued)."""
    state = directory / STATE_DIR
    if not state.is_dir():
        return None
    ints_: dict[str, I64] = {}
    floats_: dict[str, F64] = {}
    for entity, names in STATE_FILES.items():
        path = state / f"{entity}.arrow"
        try:
            with ipc.open_file(path) as reader:
                table = reader.read_all()
            for name in names:
                values = table.column(name).to_numpy()
                if name in FLOATS:
                    floats_[name] = np.asarray(values, dtype=np.float64)
                else:
                    ints_[name] = np.asarray(values, dtype=np.int64)
        except (OSError, KeyError, pa.ArrowInvalid) as exc:
            raise WorldError(f"cannot read {path}: {exc}") from None
    return Hidden(
        persona=ints_["persona"],
        pref1=ints_["pref1"],
        pref2=ints_["pref2"],
        device=ints_["device"],
        popularity=floats_["popularity"],
        quality=floats_["quality"],
        campaign_until=ints_["campaign_until"],
        ad_start=ints_["ad_start"],
        ad_until=ints_["ad_until"],
        ad_weight=floats_["ad_weight"],
        discount_until=ints_["discount_until"],
        discount_kind=ints_["discount_kind"],
    )


# -- rewriting a CSV ---------------------------------------------------------------


def rewrite(
    src: Path,
    dst: Path,
    table: str,
    changed_rows: I64,
    changed: Columns | None,
    added: Columns | None,
) -> None:
    """Copy ``src`` to ``dst`` with rows ``changed_rows`` (0-based, in the order of
    ``changed``'s rows) replaced, then ``added`` appended. Untouched rows keep
    their bytes."""
    if len(changed_rows) == 0:
        shutil.copyfile(src, dst)
    else:
        assert changed is not None
        lines = src.read_bytes().split(b"\n")
        if lines[-1] != b"":
            raise WorldError(f"{src} does not end with a line break")
        new = csv_lines(table, changed)
        if len(new) != len(changed_rows) or changed_rows.max() + 2 >= len(lines):
            raise ValueError(f"{table}: changed rows do not match the file")
        for i, line in zip(changed_rows.tolist(), new, strict=True):
            lines[i + 1] = line  # + 1: the header
        dst.write_bytes(b"\n".join(lines))
    if added is not None:
        block = csv_lines(table, added)
        if block:
            with dst.open("ab") as f:
                f.write(b"\n".join(block) + b"\n")


def rewrite_parquet(
    src: Path,
    dst: Path,
    table: str,
    changed_rows: I64,
    changed: Columns | None,
    added: Columns | None,
    month: str | None,
) -> None:
    """The Parquet counterpart of ``rewrite`` (``src`` and ``dst`` are world
    directories): rows ``changed_rows`` (0-based over the table's files in name
    order) replaced, ``added`` appended to ``<table>-<month>.parquet`` (an event
    table) or ``<table>.parquet``. A file holding no changed row and receiving no
    new row is hard-linked (copied where links are not possible): its bytes stay."""
    schema = arrow_schema(table)
    files = parquet_files(src, table)
    sizes = [pq.ParquetFile(path).metadata.num_rows for path in files]
    starts = np.cumsum([0, *sizes])
    if len(changed_rows) and (
        changed_rows.min() < 0 or changed_rows.max() >= starts[-1]
    ):
        raise ValueError(f"{table}: changed rows do not match the files")
    replacement = (
        pa.Table.from_batches([record_batch(table, changed)]).cast(schema)
        if len(changed_rows) and changed is not None
        else None
    )
    new_rows = (
        pa.Table.from_batches([record_batch(table, added)]).cast(schema)
        if added is not None
        else None
    )
    if new_rows is not None and new_rows.num_rows == 0:
        new_rows = None
    target = parquet_path(dst, table, month)
    filled = [path.name for path, size in zip(files, sizes, strict=True) if size]
    late = filled and filled[-1] > target.name
    if new_rows is not None and month is not None and late:
        raise ValueError(f"{table}: new rows for {month} after a later month's file")
    (dst / table).mkdir(parents=True, exist_ok=True)
    for path, lo, hi in zip(files, starts[:-1], starts[1:], strict=True):
        inside = np.flatnonzero((changed_rows >= lo) & (changed_rows < hi))
        appends = new_rows is not None and path.name == target.name
        out = dst / table / path.name
        if len(inside) == 0 and not appends:
            try:
                os.link(path, out)
            except OSError:
                shutil.copyfile(path, out)
            continue
        data = pq.read_table(path).cast(schema)
        if len(inside):
            assert replacement is not None
            order = np.arange(hi - lo, dtype=np.int64)
            order[changed_rows[inside] - lo] = (hi - lo) + np.arange(len(inside))
            data = pa.concat_tables([data, replacement.take(pa.array(inside))]).take(
                pa.array(order)
            )
        if appends:
            data = pa.concat_tables([data, new_rows])
            new_rows = None
        pq.write_table(data, out, compression=COMPRESSION)
    if new_rows is not None:
        pq.write_table(new_rows, target, compression=COMPRESSION)
