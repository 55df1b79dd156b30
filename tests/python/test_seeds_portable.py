"""Seeds load on every engine (README "Engines").

dbt-spark's session connection puts a seed's values into its INSERT as
quoted literals without escaping them, so a single quote in a seed cell ends
the literal and the seed fails on Spark only (PARSE_SYNTAX_ERROR; found by
tests/python/test_engines.py on the project-evaluator exceptions' comments).
This check runs without Spark, so the mistake is caught by every `make test`.
"""

from __future__ import annotations

import csv
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_there_are_seeds() -> None:
    assert len(list(SEEDS.glob("*.csv"))) >= 2


def test_no_seed_cell_holds_a_single_quote() -> None:
    quoted = [
        f"{path.name}:{line}: {cell[:60]}"
        for path in sorted(SEEDS.glob("*.csv"))
        for line, row in enumerate(csv.reader(path.open(newline="")), start=1)
        for cell in row
        if "'" in cell
    ]
    assert quoted == []
