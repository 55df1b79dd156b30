"""Each dashboard page is declared as a dbt exposure that depends on exactly the
marts its SQL reads (and kpi_summary, the header of every page)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import BuiltWarehouse

VIEWS = Path(__file__).resolve().parents[3] / "dashboard" / "views"
MART_REFERENCE = re.compile(r"\{\{?marts\}\}?\.([a-z_]+)")


def test_one_exposure_per_page_with_the_marts_it_reads(
    built_warehouse: BuiltWarehouse,
) -> None:
    manifest = json.loads((built_warehouse.target_dir / "manifest.json").read_text())
    exposures = {
        node["name"]: node
        for node in manifest["exposures"].values()
        if node["name"].startswith("dashboard_")
    }
    pages = sorted(path.stem for path in VIEWS.glob("*.py"))
    assert sorted(exposures) == [f"dashboard_{page}" for page in pages]
    for page in pages:
        read = set(MART_REFERENCE.findall((VIEWS / f"{page}.py").read_text()))
        declared = {
            node_id.split(".")[-1]
            for node_id in exposures[f"dashboard_{page}"]["depends_on"]["nodes"]
        }
        assert declared == read | {"kpi_summary"}, page
        for node_id in exposures[f"dashboard_{page}"]["depends_on"]["nodes"]:
            assert manifest["nodes"][node_id]["fqn"][1] == "marts", node_id
