"""The default profile's KPIs, measured on the small session world.

The calibrate command holds scale >= 0.1 to +-15% of each target. The test world is
scale 0.05 (~1.6k orders, ~500 buyers, ~80 refunds), where sampling noise alone is a
few percent (e.g. the refund share rests on ~80 rows: +-11% at one standard error is
not unusual), so the test allows +-25%: it catches a broken knob, not a drift of a few
percent; `python -m generator calibrate --scale 1` is the precise check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.calibrate import measure, report
from generator.profile import DEFAULT

TOLERANCE = 0.25


@pytest.fixture(scope="module")
def measured(generated_world: Path) -> dict[str, float]:
    return measure(generated_world)


@pytest.mark.parametrize(("metric", "target"), DEFAULT.targets)
def test_kpi_near_target(
    measured: dict[str, float], metric: str, target: float
) -> None:
    value = measured[metric]
    assert abs(value / target - 1) <= TOLERANCE, f"{metric}: {value:.4g} vs {target}"


def test_report_flags_misses(measured: dict[str, float]) -> None:
    text, ok = report(measured, DEFAULT)
    assert ok and "avg_cpc" in text
    off = dict(measured, avg_cpc=DEFAULT.targets[-1][1] * 2)
    text, ok = report(off, DEFAULT)
    assert not ok and "NO" in text
