"""The committed ERD (docs/erd.md, docs/img/erd_*.svg) is what the project's own
relationships tests and contracts give; and the generator reads them right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, BuiltWarehouse

sys.path.insert(0, str(REPO / "scripts"))
import erd


def test_committed_erd_is_up_to_date(built_warehouse: BuiltWarehouse) -> None:
    manifest = built_warehouse.target_dir / "manifest.json"
    check = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "erd.py"),
         "--manifest", str(manifest), "--check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr


def _model(name: str, layer: str, columns: dict[str, str]) -> dict[str, object]:
    return {
        "resource_type": "model",
        "name": name,
        "unique_id": f"model.p.{name}",
        "fqn": ["p", layer, name],
        "description": f"One row per {name.removeprefix('dim_')}. More text.",
        "columns": {
            column: {
                "data_type": data_type,
                "constraints": [{"type": "not_null"}] if column.endswith("_id") else [],
            }
            for column, data_type in columns.items()
        },
    }


def _test(kind: str, model: str, column: str | None, **kwargs: object) -> dict:
    depends = [f"model.p.{model}"]
    if kind == "relationships":
        depends.append(f"model.p.{kwargs['to_model']}")
    return {
        "resource_type": "test",
        "attached_node": f"model.p.{model}",
        "column_name": column,
        "test_metadata": {"name": kind, "kwargs": kwargs},
        "depends_on": {"nodes": depends},
    }


def test_keys_and_edges_come_from_tests_and_contracts(tmp_path: Path) -> None:
    nodes = {
        "model.p.dim_customers": _model(
            "dim_customers", "marts", {"customer_id": "integer", "email": "varchar"}
        ),
        "model.p.fct_orders": _model(
            "fct_orders",
            "marts",
            {
                "order_id": "integer",
                "customer_id": "integer",
                "coupon": "decimal(18, 2)",
            },
        ),
        "model.p.stg_x": _model("stg_x", "staging", {"x_id": ""}),
        "t1": _test("unique", "dim_customers", "customer_id"),
        "t2": _test("unique", "dim_customers", "email"),
        "t3": _test("unique", "fct_orders", "order_id"),
        "t4": _test(
            "relationships",
            "fct_orders",
            "customer_id",
            to_model="dim_customers",
            field="customer_id",
        ),
        "t5": _test(
            "relationships", "fct_orders", "coupon", to_model="stg_x", field="x_id"
        ),
    }
    entities, edges = erd.read_model({"nodes": nodes}, "marts")
    by_name = {entity.name: entity for entity in entities}
    assert by_name["dim_customers"].primary_key == ["customer_id"]
    assert by_name["dim_customers"].alternate_keys == ["email"]
    assert by_name["fct_orders"].primary_key == ["order_id"]
    assert by_name["fct_orders"].foreign_keys == ["customer_id"]  # not the staging one
    assert edges == [erd.Edge("dim_customers", "customer_id", "fct_orders",
                              "customer_id")]  # fmt: skip
    text = erd.mermaid(entities, edges)
    assert "        varchar email UK" in text
    assert "        integer customer_id FK" in text
    # customer_id is never null in fct_orders (a contract constraint): exactly one.
    assert '    dim_customers ||--o{ fct_orders : "customer_id"' in text
    assert by_name["fct_orders"].description == "One row per fct_orders"
