"""The world a raw directory holds, as one row (docs/decisions.md D46).

``world_row(data)`` reads ``manifest.json``; a loader writes the row into
``raw.world`` (``sql_rows``) so that dbt's on-run-start guard
(macros/cartify_world.sql) can compare it with the world the warehouse was built
from on engines that cannot read a file on the dbt host. The row also holds the
manifest's ``next_ids`` as ``next_<id>`` columns (cartify_world_next_id, read by
the late-row rule, D69, D83).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

WORLD_KEYS = ("generator_version", "profile", "seed", "scale", "period_start")
# raw.world's columns, in order, with their SQL types (cartify_raw_world_sql)
COLUMNS = (
    ("generator_version", "varchar(40)"),
    ("profile", "varchar(40)"),
    ("seed", "bigint"),
    ("scale", "double precision"),
    ("period_start", "date"),
    ("period_end", "date"),
    ("batch", "bigint"),
    ("batch_period_ends", "varchar(8000)"),
)
# manifest.json's next_ids: the first id no batch has handed out, per id
NEXT_IDS = (
    "customer_id", "product_id", "campaign_id", "ad_id", "discount_id",
    "session_id", "pageview_id", "order_id", "order_item_id", "refund_id",
    "review_id",
)  # fmt: skip
# raw.world's columns after COLUMNS: next_<id> bigint (null if the manifest
# has no such id)
NEXT_ID_COLUMNS = tuple((f"next_{name}", "bigint") for name in NEXT_IDS)


class WorldError(Exception):
    """The manifest is missing or unreadable (one line for the user)."""


def world_row(data: Path) -> dict[str, Any]:
    """The world the raw files in ``data`` hold, as manifest.json describes it;
    ``batch_period_ends`` is the list of every batch's period end."""
    try:
        manifest = json.loads((data / "manifest.json").read_text())
        return {
            **{key: manifest[key] for key in WORLD_KEYS},
            "period_end": manifest["period_end"],
            "batch": int(manifest.get("batch", 0)),
            "batch_period_ends": [
                b["period_end"] for b in manifest.get("batches", [])
            ] or [manifest["period_end"]],
            "next_ids": {
                name: int(manifest["next_ids"][name])
                for name in NEXT_IDS
                if name in manifest.get("next_ids", {})
            },
        }  # fmt: skip
    except FileNotFoundError:
        raise WorldError(f"{data / 'manifest.json'} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WorldError(f"{data / 'manifest.json'} is unreadable: {exc}") from None


def sql_row(world: dict[str, Any]) -> tuple[Any, ...]:
    """``world`` as the values of raw.world's one row: COLUMNS, then
    NEXT_ID_COLUMNS."""
    return tuple(
        ",".join(world[name]) if name == "batch_period_ends" else world[name]
        for name, _ in COLUMNS
    ) + tuple(world.get("next_ids", {}).get(name) for name in NEXT_IDS)


def continues(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """True when ``new`` is ``old`` or a later batch of the same world (the rule
    of cartify_guard_world)."""
    if any(str(old[key]) != str(new[key]) for key in WORLD_KEYS if key != "scale"):
        return False
    if float(old["scale"]) != float(new["scale"]):
        return False
    batch = int(old["batch"])
    ends = new["batch_period_ends"]
    if isinstance(ends, str):
        ends = ends.split(",")
    return (
        int(new["batch"]) >= batch
        and len(ends) > batch
        and (ends[batch] == str(old["period_end"]))
    )


def describe(world: dict[str, Any]) -> str:
    return (
        f"seed {world['seed']}, scale {float(world['scale']):g}, "
        f"{world['period_start']} to {world['period_end']}, batch {world['batch']}"
    )


def create_statements(world: dict[str, Any], target_type: str) -> list[str]:
    """SQL that (re)creates ``raw.world`` holding ``world`` on a server engine
    (PostgreSQL, Spark), run by the loader after the raw tables."""

    def sql_type(name: str) -> str:
        if target_type == "spark":
            if name.startswith("varchar"):
                return "string"
            if name == "double precision":
                return "double"
        return name

    def literal(value: Any) -> str:
        if value is None:
            return "null"
        if isinstance(value, int | float):
            return repr(value)
        return "'" + str(value).replace("\\", "").replace("'", "''") + "'"

    select = ", ".join(
        f"cast({literal(value)} as {sql_type(kind)}) as {name}"
        for (name, kind), value in zip(
            COLUMNS + NEXT_ID_COLUMNS, sql_row(world), strict=True
        )
    )
    using = " using parquet" if target_type == "spark" else ""
    return [
        "drop table if exists raw.world",
        f"create table raw.world{using} as select {select}",
    ]
