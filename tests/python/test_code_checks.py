"""Code checks (docs/decisions.md D86): the data tests tagged `code_check` hold by
construction, so a production run (the benchmark, the Dagster job) leaves them out
with the unit tests, and `make test` runs them. These tests keep the tag honest: it
is on exactly the tests that only a change to the code can fail, and every
production run excludes it.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from engines import DBT, REPO

from bench.pipeline import PRODUCTION_EXCLUDES

# The raw tables (the contract's), each with one base model.
RAW_TABLES = {
    "customers", "products", "inventory", "campaigns", "ads", "ad_daily_stats",
    "discounts", "website_sessions", "pageviews", "orders", "order_items",
    "payments", "refunds", "reviews",
}  # fmt: skip
# What a code check of a base model may be: the row's place (a row number within
# its file) and its status (a case of three constants).
BASE_CHECKS = {
    ("unique_combination_of_columns", "source_file,source_row"),
    ("not_null", "row_status"),
    ("accepted_values", "row_status"),
}
SINGULAR = {"assert_raw_fields_follow_the_contract"}


@pytest.fixture(scope="module")
def code_checks(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    out = tmp_path_factory.mktemp("ls")
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "CARTIFY_DATA_DIR": str(out),
        "CARTIFY_DUCKDB_PATH": str(out / "ls.duckdb"),
    }
    listed = subprocess.run(
        [str(DBT), "ls", "--quiet", "--select", "tag:code_check", "--output", "json",
         "--output-keys", "name resource_type depends_on test_metadata",
         "--target-path", str(out / "target"), "--log-path", str(out / "logs")],
        cwd=REPO, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [json.loads(line) for line in listed.splitlines() if line.startswith("{")]


def _what(node: dict[str, Any]) -> tuple[str, str]:
    meta = node.get("test_metadata") or {}
    kwargs = meta.get("kwargs", {})
    columns = kwargs.get("combination_of_columns") or [kwargs.get("column_name")]
    return meta.get("name", node["name"]), ",".join(map(str, columns))


def test_only_checks_that_hold_by_construction_are_tagged(
    code_checks: list[dict[str, Any]],
) -> None:
    assert code_checks, "no test is tagged code_check"
    wrong = []
    for node in code_checks:
        parents = node["depends_on"]["nodes"]
        if node["name"] in SINGULAR:
            continue
        base = [p.split(".")[-1] for p in parents]
        if (
            node["resource_type"] != "test"
            or len(base) != 1
            or base[0].removeprefix("base_cartify__") not in RAW_TABLES
            or _what(node) not in BASE_CHECKS
        ):
            wrong.append(node["name"])
    assert wrong == []


def test_every_base_model_has_its_code_checks(
    code_checks: list[dict[str, Any]],
) -> None:
    found: dict[str, set[tuple[str, str]]] = {}
    for node in code_checks:
        for parent in node["depends_on"]["nodes"]:
            found.setdefault(parent.split(".")[-1], set()).add(_what(node))
    assert {node["name"] for node in code_checks} >= SINGULAR
    for table in RAW_TABLES:
        assert found.get(f"base_cartify__{table}") == BASE_CHECKS, table


def test_production_runs_leave_the_code_checks_out(tmp_path: Path) -> None:
    from bench.engines import _commands
    from orchestration.assets import PRODUCTION_ARGS

    engine_tests = _commands("duckdb", tmp_path)["tests"]
    for args in (list(PRODUCTION_EXCLUDES), PRODUCTION_ARGS, engine_tests):
        pairs = list(itertools.pairwise(args))
        assert ("--exclude-resource-type", "unit_test") in pairs
        assert ("--exclude", "tag:code_check") in pairs


def test_make_test_runs_the_code_checks() -> None:
    # `make test` (CI) builds with loader.publish and excludes nothing
    for path in ("Makefile", "loader/publish.py"):
        assert "code_check" not in (REPO / path).read_text(), path
