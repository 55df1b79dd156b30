"""In headless Chromium (Debian's, driven by Playwright): every dashboard page loads
and draws its charts with no page error, and the static docs site works offline
and lists every mart."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BuiltWarehouse, _dbt, _release_duckdb
from playwright.sync_api import Route, sync_playwright

from dashboard import browser


def test_every_dashboard_page_draws_its_charts(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    with browser.serve(built_warehouse.duckdb_path) as url:
        assert url.startswith("http://127.0.0.1:")
        results = browser.visit(url, screenshots=tmp_path)
    assert [result.name for result in results] == list(browser.PAGES)
    for result in results:
        assert result.errors == [], result.name
        assert result.charts >= browser.PAGES[result.name][1], result.name
        assert result.screenshot is not None
        assert result.screenshot.stat().st_size > 10_000  # a drawn page, not blank


@pytest.fixture(scope="module")
def static_docs(built_warehouse: BuiltWarehouse) -> Iterator[Path]:
    """`dbt docs generate --static` over the built warehouse: one HTML file."""
    root = built_warehouse.target_dir.parent
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CARTIFY_DUCKDB_PATH", str(built_warehouse.duckdb_path))
        patch.setenv("CARTIFY_DATA_DIR", str(built_warehouse.raw_dir))
        patch.delenv("DBT_PROFILES_DIR", raising=False)
        _dbt(["docs", "generate", "--static", "--quiet"], root)
    _release_duckdb()
    yield built_warehouse.target_dir / "static_index.html"


def test_static_docs_work_offline_and_list_every_mart(
    static_docs: Path, built_warehouse: BuiltWarehouse
) -> None:
    manifest = json.loads((built_warehouse.target_dir / "manifest.json").read_text())
    marts = sorted(
        node["unique_id"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    )
    assert "model.cartify.kpi_summary" in marts
    outside: list[str] = []
    errors: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS
        )
        try:
            page = chromium.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.route("**/*", offline)
            page.goto(static_docs.as_uri())
            page.wait_for_selector(
                "model-tree [data-nav-unique-id^='model.']", state="attached"
            )
            # The overview opens on cartify's own page with the marts' ERD drawn.
            page.wait_for_selector("text=Entity-relationship diagram")
            erd_width = page.eval_on_selector(
                "img[alt^='ERD of the marts']", "image => image.naturalWidth"
            )
            listed = page.eval_on_selector_all(
                "model-tree [data-nav-unique-id^='model.']",
                "nodes => nodes.map(node => node.dataset.navUniqueId)",
            )
            page.goto(static_docs.as_uri() + "#!/model/model.cartify.kpi_summary")
            page.wait_for_selector("h1:has-text('kpi_summary')")
        finally:
            chromium.close()
    assert set(marts) <= set(listed)
    assert erd_width > 500
    assert outside == []
    assert errors == []
