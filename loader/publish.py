"""Write, audit, publish: ``python -m loader.publish [--db PATH] [--data DIR]
[-- DBT_BUILD_ARGS...]`` builds the DuckDB warehouse without ever showing a
half-built or failed state at ``--db`` (docs/decisions.md D47, D48).

1. The raw world in ``--data`` is checked against the contract (loader.contract).
2. The candidate warehouse is prepared in ``<db dir>/.building/<db name>`` (same
   file name, so DuckDB's catalog name, which views refer to, is the same): a copy
   of the published warehouse when the raw world continues the world it was built
   from (same generator version, profile, seed, scale and start, and the recorded
   batch is one of the raw world's batches), else an empty file, so a rebuild with
   another seed, scale or period gives exactly what a fresh build gives.
3. ``dbt build`` runs against the candidate: every model, snapshot and test.
4. Only when it succeeds is the candidate moved over ``--db`` (one rename: a
   reader sees the old file or the new one, never a mix). When it fails the
   published warehouse is untouched and the failed candidate stays in
   ``.building/`` for inspection.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .contract import ContractUsageError, check
from .world import WorldError, continues, describe, world_row

RECORD = "warehouse_world"  # in the snapshots schema (macros/cartify_world.sql)


class PublishError(Exception):
    """One line for the user, exit status 2."""


def recorded_world(db: Path) -> dict[str, Any] | None:
    """The world the published warehouse was built from; None when there is no
    warehouse or it records none."""
    if not db.exists():
        return None
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute(
                "select table_schema from information_schema.tables "
                "where table_name = ?",
                [RECORD],
            ).fetchall()
            if not rows:
                return None
            cursor = con.execute(f'select * from "{rows[0][0]}"."{RECORD}"')
            names = [d[0] for d in cursor.description]
            values = cursor.fetchone()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise PublishError(f"cannot read the warehouse {db}: {first}") from None
    if values is None:
        return None
    world = dict(zip(names, values, strict=True))
    world["period_start"] = str(world["period_start"])
    world["period_end"] = str(world["period_end"])
    return world


def prepare(db: Path, data: Path) -> Path:
    """The candidate file to build into: a copy of ``db`` or a new file."""
    candidate = db.parent / ".building" / db.name
    candidate.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (candidate, candidate.with_name(candidate.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        new = world_row(data)
    except WorldError as exc:
        raise PublishError(str(exc)) from None
    old = recorded_world(db)
    if old is not None and continues(old, new):
        shutil.copyfile(db, candidate)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, candidate.with_name(candidate.name + ".wal"))
    elif db.exists():
        was = describe(old) if old else "an unrecorded world"
        print(
            f"{db} holds {was}; {data} holds {describe(new)}, which does not "
            "continue it: building a fresh warehouse",
            file=sys.stderr,
        )
    return candidate


def _format(data: Path) -> str:
    try:
        manifest = json.loads((data / "manifest.json").read_text())
    except (OSError, ValueError):
        return "csv"
    return str(manifest.get("format", "csv"))


def dbt_executable() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def publish(db: Path, data: Path, dbt_args: Sequence[str], extra: str) -> int:
    try:
        problems = check(data, "error" if extra == "error" else "warning")
    except ContractUsageError as exc:
        raise PublishError(str(exc)) from None
    for problem in problems:
        print(problem, file=sys.stderr)
    if any(p.level == "error" for p in problems):
        return 1
    candidate = prepare(db, data)
    raw_format = _format(data)
    env = {
        **os.environ,
        "CARTIFY_DUCKDB_PATH": str(candidate),
        "CARTIFY_DATA_DIR": str(data),
        # the raw source reads the world's format (D73)
        "CARTIFY_RAW_FORMAT": raw_format,
    }
    code = subprocess.run(
        [dbt_executable(), "build", *dbt_args], env=env, check=False
    ).returncode
    if code != 0:
        print(
            f"error: dbt build failed (exit {code}): {db} is unchanged; the failed "
            f"build is kept in {candidate}",
            file=sys.stderr,
        )
        return code
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():  # not checkpointed: open once so DuckDB folds it in
        import duckdb

        duckdb.connect(str(candidate)).close()
    os.replace(candidate, db)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m loader.publish",
        description="Build the DuckDB warehouse into a candidate file and publish "
        "it only when every model and test passed.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("CARTIFY_DUCKDB_PATH", "warehouse/cartify.duckdb")),
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path(os.environ.get("CARTIFY_DATA_DIR", "data/raw")),
    )
    parser.add_argument("--extra-columns", choices=("warn", "error"), default="warn")
    args, dbt_args = parser.parse_known_args(argv)
    if dbt_args and dbt_args[0] == "--":
        dbt_args = dbt_args[1:]
    try:
        return publish(
            args.db.absolute(), args.data.absolute(), dbt_args, args.extra_columns
        )
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            f"error: {exc.filename or args.db}: {exc.strerror or exc}", file=sys.stderr
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
