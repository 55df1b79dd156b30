"""Helpers of the cross-engine tests (test_engines.py): a throwaway PostgreSQL, the
loader and dbt run per engine as subprocesses, and the marts read back as rows and
compared (money to the penny, ratios within 1e-9, counts exactly)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import pickle
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
PG_CLUSTER = REPO / "scripts" / "pg_cluster.sh"
# Ratios and other floating-point columns: the engines sum and divide in other
# orders, so they may differ in the last bits (issue #9: within 1e-9).
FLOAT_TOLERANCE = 1e-9
SPARK_WARNING = re.compile(r"\d\d/\d\d/\d\d \d\d:\d\d:\d\d WARN ")


def port_open(port: int, host: str = "localhost") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


@dataclass
class Engine:
    """One dbt target with its own warehouse under a tmp dir."""

    target: str
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)

    def environment(self, raw_dir: Path) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DBT_TARGET_PATH", "DBT_LOG_PATH"}
        }
        env.update(
            DBT_PROFILES_DIR=str(REPO),
            CARTIFY_DATA_DIR=str(raw_dir),
            CARTIFY_DUCKDB_PATH=str(self.workdir / "cartify.duckdb"),
            CARTIFY_SPARK_DIR=str(self.workdir / "spark"),
        )
        env.update(self.env)
        return env

    def _run(self, command: list[str], raw_dir: Path, what: str) -> None:
        finished = subprocess.run(
            command,
            cwd=REPO,
            env=self.environment(raw_dir),
            capture_output=True,
            text=True,
            check=False,
        )
        if finished.returncode != 0:
            # Spark's log4j warnings would fill the tail: leave them out
            lines = (finished.stdout + finished.stderr).splitlines()
            output = "\n".join(line for line in lines if not SPARK_WARNING.match(line))
            pytest.fail(
                f"{self.target}: {what} failed:\n{output[-6000:]}", pytrace=False
            )

    def load(self, raw_dir: Path) -> None:
        self._run(
            [sys.executable, "-m", "loader", "--target", self.target, "--quiet",
             "--data", str(raw_dir)],
            raw_dir,
            "python -m loader",
        )  # fmt: skip

    def dbt(self, args: list[str], raw_dir: Path) -> None:
        self._run(
            [
                str(DBT), *args, "--target", self.target,
                "--project-dir", str(REPO), "--profiles-dir", str(REPO),
                "--target-path", str(self.workdir / "target"),
                "--log-path", str(self.workdir / "logs"),
            ],
            raw_dir,
            f"dbt {' '.join(args)}",
        )  # fmt: skip

    def marts(self) -> dict[str, str]:
        """Every mart table of the last dbt run: name -> schema-qualified name."""
        manifest = json.loads((self.workdir / "target" / "manifest.json").read_text())
        return {
            node["name"]: f"{node['schema']}.{node['alias']}"
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
            and node["fqn"][1] == "marts"
            and node["config"]["materialized"] in ("table", "incremental")
            and node["config"]["enabled"]
        }

    def declared_columns(self) -> dict[str, list[str]]:
        """Each model's columns in the order its YAML (the contract) declares."""
        manifest = json.loads((self.workdir / "target" / "manifest.json").read_text())
        return {
            node["name"]: list(node["columns"])
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
        }

    def read(self, relations: dict[str, str]) -> dict[str, Table]:
        """The rows of each relation (name -> schema.table)."""
        if self.target == "duckdb":
            return _read_duckdb(self.workdir / "cartify.duckdb", relations)
        if self.target == "postgres":
            return _read_postgres(self.env, relations)
        # Spark stores a partition column last (fct_orders.order_date, D61):
        # read the columns in the contract's order, as the other engines hold them.
        declared = self.declared_columns()
        return _read_spark(
            self.workdir / "spark",
            {name: (relation, declared[name]) for name, relation in relations.items()},
        )

    def partition_files(self, relation: str) -> dict[str, set[str]]:
        """Spark: the data files of each partition directory of a table."""
        schema, table = relation.split(".")
        root = self.workdir / "spark" / "warehouse" / f"{schema}.db" / table
        return {
            partition.name: {path.name for path in partition.glob("*.parquet")}
            for partition in sorted(root.iterdir())
            if partition.is_dir() and "=" in partition.name
        }


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _read_duckdb(path: Path, relations: dict[str, str]) -> dict[str, Table]:
    import duckdb

    tables = {}
    with duckdb.connect(str(path), read_only=True) as connection:
        for name, relation in relations.items():
            cursor = connection.execute(f"select * from {relation}")
            columns = tuple(column[0] for column in cursor.description)
            tables[name] = Table(columns, [tuple(row) for row in cursor.fetchall()])
    return tables


def pg_connect(env: dict[str, str], user: str | None = None) -> Any:
    import psycopg2

    return psycopg2.connect(
        host=env.get("CARTIFY_PG_HOST", "localhost"),
        port=int(env["CARTIFY_PG_PORT"]),
        user=user or env.get("CARTIFY_PG_USER", "cartify"),
        dbname=env["CARTIFY_PG_DATABASE"],
    )


def loader_settings(env: dict[str, str]) -> dict[str, Any]:
    """The connection settings `loader.postgres.load` takes, for the database
    of a test environment (fresh_database)."""
    return {
        "host": env["CARTIFY_PG_HOST"],
        "port": env["CARTIFY_PG_PORT"],
        "user": env["CARTIFY_PG_USER"],
        "dbname": env["CARTIFY_PG_DATABASE"],
    }


def _read_postgres(env: dict[str, str], relations: dict[str, str]) -> dict[str, Table]:
    tables = {}
    connection = pg_connect(env)
    try:
        with connection.cursor() as cursor:
            for name, relation in relations.items():
                cursor.execute(f"select * from {relation}")
                columns = tuple(column[0] for column in cursor.description)
                tables[name] = Table(columns, [tuple(row) for row in cursor.fetchall()])
    finally:
        connection.close()
    return tables


def _read_spark(
    spark_dir: Path, relations: dict[str, tuple[str, list[str]]]
) -> dict[str, Table]:
    """Read in a child process with a Spark session on the same metastore: the
    embedded Derby metastore admits one process at a time, and a JVM started in
    this process would keep it locked for the loader and dbt that run next."""
    out = spark_dir.parent / "spark_read.pickle"
    env = {**os.environ, "CARTIFY_SPARK_DIR": str(spark_dir)}
    finished = subprocess.run(
        [sys.executable, __file__, str(out), json.dumps(relations)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode != 0:
        pytest.fail(f"reading Spark failed:\n{finished.stderr[-4000:]}", pytrace=False)
    with out.open("rb") as handle:
        rows: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = pickle.load(
            handle
        )
    return {name: Table(columns, data) for name, (columns, data) in rows.items()}


def _read_spark_here(out: Path, relations: dict[str, list[Any]]) -> None:
    from loader.profile import target_settings
    from loader.spark_loader import session

    spark = session(target_settings("spark", REPO))
    try:
        rows = {}
        for name, (relation, columns) in relations.items():
            frame = spark.table(relation)
            if sorted(columns) == sorted(frame.columns):
                frame = frame.select(*columns)
            rows[name] = (tuple(frame.columns), [tuple(row) for row in frame.collect()])
    finally:
        spark.stop()
    with out.open("wb") as handle:
        pickle.dump(rows, handle)


def _normal(value: Any) -> Any:
    """Comparable across drivers: dates and timestamps as ISO text, the rest as
    the driver gives it (Decimal, int, float, bool, str, None)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _sort_key(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    # Floats are left out of the order: they may differ in the last bits.
    return tuple(
        (value is None, "" if isinstance(value, float) else str(value)) for value in row
    )


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        left, right = float(left), float(right)
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return abs(left - right) <= FLOAT_TOLERANCE * max(1.0, abs(left), abs(right))
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        # money: equal to the penny (and any other decimal exactly)
        return Decimal(str(left)) == Decimal(str(right))
    return bool(left == right)


def differences(name: str, left: Table, right: Table, limit: int = 5) -> list[str]:
    """Where two copies of a mart differ (empty when equal)."""
    if left.columns != right.columns:
        return [f"{name}: columns {left.columns} != {right.columns}"]
    if len(left.rows) != len(right.rows):
        return [f"{name}: {len(left.rows)} rows != {len(right.rows)} rows"]
    found: list[str] = []
    left_rows = sorted((tuple(map(_normal, row)) for row in left.rows), key=_sort_key)
    right_rows = sorted((tuple(map(_normal, row)) for row in right.rows), key=_sort_key)
    for left_row, right_row in zip(left_rows, right_rows, strict=True):
        for column, a, b in zip(left.columns, left_row, right_row, strict=True):
            if not _equal(a, b):
                found.append(f"{name}.{column}: {a!r} != {b!r} in {left_row}")
                break
        if len(found) >= limit:
            break
    return found


def fresh_database(server: dict[str, str], name: str) -> dict[str, str]:
    env = {**server, "CARTIFY_PG_DATABASE": name}
    admin = pg_connect({**server, "CARTIFY_PG_DATABASE": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'drop database if exists "{name}" with (force)')
        cursor.execute(f'create database "{name}"')
        # the role dbt grants the marts to (scripts/pg_cluster.sh makes it too)
        cursor.execute(
            "do $$ begin if not exists (select from pg_roles where rolname = "
            "'reporting') then create role reporting login; end if; end $$"
        )
    admin.close()
    return env


@pytest.fixture(scope="session")
def postgres() -> Iterator[dict[str, str]]:
    """Connection settings of a PostgreSQL server: the one listening on
    CARTIFY_PG_PORT (make pg-start, .ci/run), else a throwaway one for the session."""
    port = os.environ.get("CARTIFY_PG_PORT", "54329")
    env = {
        "CARTIFY_PG_HOST": os.environ.get("CARTIFY_PG_HOST", "localhost"),
        "CARTIFY_PG_PORT": port,
        "CARTIFY_PG_USER": os.environ.get("CARTIFY_PG_USER", "cartify"),
    }
    started = not port_open(int(port), env["CARTIFY_PG_HOST"])
    cluster_env = {
        **os.environ,
        "CARTIFY_PG_PORT": port,
        # not under pytest's tmp dir: it is private to root, and as root the
        # server runs as the postgres user
        "CARTIFY_PG_DIR": f"/tmp/cartify-pg-{port}-{os.getpid()}",
    }
    if started:
        finished = subprocess.run(
            [str(PG_CLUSTER), "start"],
            env=cluster_env,
            capture_output=True,
            text=True,
            check=False,
        )
        if finished.returncode != 0:
            pytest.fail(f"PostgreSQL did not start: {finished.stderr}", pytrace=False)
    yield env
    if started:
        subprocess.run([str(PG_CLUSTER), "stop"], env=cluster_env, check=False)


if __name__ == "__main__":  # the child process of _read_spark
    sys.path.insert(0, str(REPO))
    _read_spark_here(Path(sys.argv[1]), json.loads(sys.argv[2]))
