"""Personal data never leaves staging (docs/decisions.md D18).

Staging tags the columns that hold a person's data with `meta: {pii: true}`
(stg_cartify__customers: names, e-mail, street, postal code, coordinates).
Two independent checks on the built warehouse of the e2e world:

- by name: no mart (models/marts, schema `marts`) has a column named like a
  tagged column, unless the mart declares that column `pii: false` (the
  distribution centers' coordinates, a business site);
- by value: no text value of any mart equals a raw e-mail, full name, street
  address or postal code, and no number equals a raw customer coordinate.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

if TYPE_CHECKING:
    from conftest import BuiltWarehouse

EXPECTED_PII = {
    "first_name",
    "last_name",
    "email",
    "street_address",
    "postal_code",
    "latitude",
    "longitude",
    # The raw text of a row not kept (base_cartify__<table>, quarantined_rows):
    # a quarantined customer row holds every field above (docs/decisions.md D66).
    "raw_text",
}


def _meta(column: dict[str, Any]) -> dict[str, Any]:
    return {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}


@pytest.fixture(scope="module")
def manifest(built_warehouse: BuiltWarehouse) -> dict[str, Any]:
    path = built_warehouse.target_dir / "manifest.json"
    return json.loads(path.read_text())  # type: ignore[no-any-return]


def _models(manifest: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith(prefix)
    ]


def _pii_columns(manifest: dict[str, Any]) -> set[str]:
    return {
        name
        for node in _models(manifest, "models/staging/")
        for name, column in node["columns"].items()
        if _meta(column).get("pii") is True
    }


def test_staging_tags_the_personal_columns(manifest: dict[str, Any]) -> None:
    assert _pii_columns(manifest) == EXPECTED_PII


def test_no_mart_column_is_named_like_a_pii_column(
    built_warehouse: BuiltWarehouse, manifest: dict[str, Any]
) -> None:
    pii = _pii_columns(manifest)
    declared_safe = {
        (node["alias"], name)
        for node in _models(manifest, "models/marts/")
        for name, column in node["columns"].items()
        if _meta(column).get("pii") is False
    }
    columns = built_warehouse.query(
        "select table_name, column_name from duckdb_columns()"
        " where schema_name = 'marts'"
    )
    assert len(columns) > 100
    carrying = sorted(
        (table, column)
        for table, column in columns.itertuples(index=False)
        if column in pii and (table, column) not in declared_safe
    )
    assert carrying == []


def test_no_mart_value_is_a_raw_personal_value(
    built_warehouse: BuiltWarehouse,
) -> None:
    customers = built_warehouse.raw("customers").astype(
        {"first_name": str, "last_name": str, "postal_code": str}
    )
    texts = pd.concat(
        [
            customers["email"],
            customers["email"].str.lower(),
            customers["first_name"] + " " + customers["last_name"],
            customers["street_address"],
            customers["postal_code"],
        ]
    ).drop_duplicates()
    coordinates = pd.concat(
        [customers["latitude"], customers["longitude"]]
    ).drop_duplicates()
    columns = built_warehouse.query(
        "select table_name, column_name, data_type from duckdb_columns()"
        " where schema_name = 'marts'"
    )
    text_columns = columns[columns["data_type"] == "VARCHAR"]
    number_columns = columns[
        columns["data_type"].str.startswith("DECIMAL")
        | columns["data_type"].isin(["DOUBLE", "FLOAT"])
    ]
    assert len(text_columns) > 10 and len(number_columns) > 10
    found = []
    with built_warehouse.connect() as con:
        con.register("pii_texts", pd.DataFrame({"value": texts}))
        con.register(
            "pii_numbers", pd.DataFrame({"value": coordinates.astype(float)})
        )
        for table, column, _ in text_columns.itertuples(index=False):
            hits = con.sql(
                f'select count(*) from marts."{table}"'
                f' where "{column}" in (select value from pii_texts)'
            ).fetchone()
            if hits and hits[0]:
                found.append((table, column, hits[0]))
        for table, column, _ in number_columns.itertuples(index=False):
            hits = con.sql(
                f'select count(*) from marts."{table}"'
                f' where round(cast("{column}" as double), 6)'
                " in (select round(value, 6) from pii_numbers)"
            ).fetchone()
            if hits and hits[0]:
                found.append((table, column, hits[0]))
    assert found == []
