"""Read dbt's run_results.json: which models took the time."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class NodeTiming:
    """One node of one dbt invocation, as run_results.json reports it."""

    unique_id: str
    name: str
    resource_type: str
    stage: str
    seconds: float
    status: str
    relation_name: str | None
    compiled_code: str | None
    # Unix times: the start of the node's compilation, the end of its execution.
    started_at: float | None = None
    completed_at: float | None = None

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("compiled_code")
        return row


def read_run_results(path: Path, stage: str) -> list[NodeTiming]:
    """The nodes of one invocation; [] when the file is missing."""
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    timings = []
    for result in data.get("results", []):
        unique_id = str(result.get("unique_id", ""))
        parts = unique_id.split(".")
        resource_type = parts[0] if parts else ""
        timings.append(
            NodeTiming(
                unique_id=unique_id,
                name=parts[-1] if parts else unique_id,
                resource_type=resource_type,
                stage=stage,
                seconds=float(result.get("execution_time") or 0.0),
                status=str(result.get("status", "")),
                relation_name=result.get("relation_name"),
                compiled_code=result.get("compiled_code"),
                started_at=_timing_edge(result, "compile", "started_at"),
                completed_at=_timing_edge(result, "execute", "completed_at"),
            )
        )
    return timings


def _timing_edge(result: dict[str, Any], step: str, edge: str) -> float | None:
    """A Unix time from a result's `timing` list (dbt writes UTC ISO strings)."""
    for timing in result.get("timing") or []:
        if timing.get("name") == step and timing.get(edge):
            moment = datetime.fromisoformat(str(timing[edge]).replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.timestamp()
    return None


def slowest(
    timings: list[NodeTiming], count: int, resource_types: tuple[str, ...] = ("model",)
) -> list[NodeTiming]:
    """The `count` slowest nodes of the given resource types."""
    chosen = [timing for timing in timings if timing.resource_type in resource_types]
    return sorted(chosen, key=lambda timing: timing.seconds, reverse=True)[:count]
