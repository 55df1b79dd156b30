"""loader.world: which raw world continues which (the rule the dbt guard and
loader.publish share)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loader.world import (
    COLUMNS,
    NEXT_ID_COLUMNS,
    WorldError,
    continues,
    sql_row,
    world_row,
)

BATCH0 = {
    "generator_version": "0.1.0", "profile": "default", "seed": 42, "scale": 0.1,
    "period_start": "2024-01-01", "period_end": "2025-12-31", "batch": 0,
    "batch_period_ends": ["2025-12-31"],
}  # fmt: skip
BATCH1 = {**BATCH0, "period_end": "2026-01-07", "batch": 1,
          "batch_period_ends": ["2025-12-31", "2026-01-07"]}  # fmt: skip


def test_the_same_world_and_later_batches_continue() -> None:
    assert continues(BATCH0, BATCH0)
    assert continues(BATCH0, BATCH1)
    assert continues(BATCH1, BATCH1)


@pytest.mark.parametrize(
    "change",
    [
        {"seed": 7},
        {"scale": 0.05},
        {"profile": "benchmark"},
        {"generator_version": "0.2.0"},
        {"period_start": "2024-06-01"},
    ],
    ids=lambda c: next(iter(c)),
)
def test_another_world_does_not(change: dict[str, object]) -> None:
    assert not continues(BATCH0, {**BATCH0, **change})


def test_an_earlier_batch_or_another_history_does_not() -> None:
    assert not continues(BATCH1, BATCH0)  # going back
    other_end = {**BATCH0, "period_end": "2025-06-30",
                 "batch_period_ends": ["2025-06-30"]}  # fmt: skip
    assert not continues(BATCH0, other_end)  # same seed, another --end
    other_history = {**BATCH1, "batch_period_ends": ["2025-06-30", "2026-01-07"]}
    assert not continues(BATCH0, other_history)


def test_the_row_from_a_manifest(generated_world: Path, tmp_path: Path) -> None:
    manifest = json.loads((generated_world / "manifest.json").read_text())
    row = world_row(generated_world)
    assert row["seed"] == manifest["seed"] and row["batch"] == 0
    assert row["batch_period_ends"] == [manifest["period_end"]]
    names = [name for name, _ in COLUMNS + NEXT_ID_COLUMNS]
    values = dict(zip(names, sql_row(row), strict=True))
    assert values["batch_period_ends"] == manifest["period_end"]
    # every next id of the manifest, for the late-row rule (D83)
    assert {name: values[f"next_{name}"] for name in manifest["next_ids"]} == (
        manifest["next_ids"]
    )
    with pytest.raises(WorldError, match=r"manifest\.json is missing"):
        world_row(tmp_path)
