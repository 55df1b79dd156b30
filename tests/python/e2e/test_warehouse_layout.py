"""Each layer lands in its own schema, named as written (docs/decisions.md D14).

A BI tool pointed at `marts` must see exactly the public marts: every model
under models/marts/ (and MetricFlow's time spine), nothing from staging or
intermediate; and no relation may land in dbt's default `main` or in a
prefixed schema such as `main_marts`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from generator.schema import TABLES

if TYPE_CHECKING:
    from conftest import BuiltWarehouse

LAYER_SCHEMAS = {
    "models/staging/": "staging",
    "models/intermediate/": "intermediate",
    "models/marts/": "marts",
    "models/semantic/": "marts",
    "seeds/": "reference",
    "snapshots/": "snapshots",
}


def _relations(built_warehouse: BuiltWarehouse) -> dict[str, set[str]]:
    frame = built_warehouse.query(
        """
        select schema_name, table_name as name from duckdb_tables()
        union all
        select schema_name, view_name from duckdb_views() where not internal
        """
    )
    schemas: dict[str, set[str]] = {}
    for schema, name in frame.itertuples(index=False):
        schemas.setdefault(schema, set()).add(name)
    return schemas


def test_every_node_is_in_its_layer_schema(built_warehouse: BuiltWarehouse) -> None:
    manifest = json.loads((built_warehouse.target_dir / "manifest.json").read_text())
    expected: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] not in {"model", "seed", "snapshot"}:
            continue
        path = node["original_file_path"]
        layer = next(
            schema
            for prefix, schema in LAYER_SCHEMAS.items()
            if path.startswith(prefix)
        )
        assert node["schema"] == layer, (node["name"], node["schema"])
        expected.setdefault(layer, set()).add(node["alias"])
    # not a node: the record of the world the warehouse was built from, written
    # by the on-run-start hook beside the snapshots (docs/decisions.md D46)
    expected["snapshots"].add("warehouse_world")
    # not nodes: the lines each base model's read of its raw file rejected,
    # stored by the model's post-hook (docs/decisions.md D82)
    expected["raw"] = {f"read_rejects__{table}" for table in TABLES}
    actual = _relations(built_warehouse)
    assert set(actual) == set(expected), sorted(actual)
    for schema, names in expected.items():
        assert actual[schema] == names, schema


def test_marts_schema_holds_only_marts(built_warehouse: BuiltWarehouse) -> None:
    marts = _relations(built_warehouse)["marts"]
    assert "customer_segmentation" in marts and "kpi_summary" in marts
    assert not {name for name in marts if name.startswith(("stg_", "int_"))}
