"""Where a slow model's time goes: DuckDB `EXPLAIN (ANALYZE, FORMAT JSON)`.

The model's compiled SQL (from run_results.json) is run again against the warehouse the
benchmark built, profiled, and its most expensive operators are listed. Upstream views
are expanded into the plan, so time spent re-reading a view shows up here too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb


@dataclass
class OperatorCost:
    """One operator of a profiled plan."""

    operator: str
    seconds: float
    rows: int
    detail: str

    def as_row(self) -> dict[str, Any]:
        return {
            "operator": self.operator,
            "seconds": round(self.seconds, 4),
            "rows": self.rows,
            "detail": self.detail,
        }


@dataclass
class Profile:
    """A profiled model: total latency and its costliest operators."""

    model: str
    seconds: float
    operators: list[OperatorCost] = field(default_factory=list)
    plan_path: str | None = None
    error: str | None = None

    def as_row(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "seconds": round(self.seconds, 4),
            "top_operators": [operator.as_row() for operator in self.operators],
            "plan_path": self.plan_path,
            "error": self.error,
        }


def _detail(extra_info: Any) -> str:
    if not isinstance(extra_info, dict):
        return str(extra_info or "")[:160]
    keep = []
    for key in ("Table", "Function", "Join Type", "Conditions", "Groups", "Aggregates"):
        value = extra_info.get(key)
        if value:
            text = ", ".join(value) if isinstance(value, list) else str(value)
            keep.append(f"{key}: {text}")
    if not keep and "Projections" in extra_info:
        value = extra_info["Projections"]
        text = ", ".join(value) if isinstance(value, list) else str(value)
        keep.append(f"Projections: {text}")
    return "; ".join(keep).replace("\n", " ")[:200]


def _walk(node: dict[str, Any], found: list[OperatorCost]) -> None:
    name = node.get("operator_name") or node.get("operator_type")
    if name:
        found.append(
            OperatorCost(
                operator=str(name),
                seconds=float(node.get("operator_timing") or 0.0),
                rows=int(node.get("operator_cardinality") or 0),
                detail=_detail(node.get("extra_info")),
            )
        )
    for child in node.get("children", []):
        _walk(child, found)


def profile_model(
    database: Path, model: str, compiled_sql: str, out_dir: Path, top: int = 5
) -> Profile:
    """Run `compiled_sql` under EXPLAIN ANALYZE (read-only) and keep the plan."""
    sql = compiled_sql.strip().rstrip(";")
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            row = connection.execute(f"explain (analyze, format json) {sql}").fetchone()
    except duckdb.Error as error:
        return Profile(model=model, seconds=0.0, error=str(error).splitlines()[0])
    if row is None:
        return Profile(model=model, seconds=0.0, error="no plan returned")
    plan = json.loads(row[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_path = out_dir / f"{model}.json"
    plan_path.write_text(json.dumps(plan, indent=1))
    operators: list[OperatorCost] = []
    _walk(plan, operators)
    operators.sort(key=lambda operator: operator.seconds, reverse=True)
    return Profile(
        model=model,
        seconds=float(plan.get("latency") or 0.0),
        operators=operators[:top],
        plan_path=str(plan_path),
    )
