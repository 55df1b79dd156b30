"""End-to-end KPI checks: marts against an independent pandas computation.

Each expected figure is recomputed here from the raw CSVs the generator wrote
(never from the warehouse), following docs/metrics.md: valid orders are those
not cancelled; revenue is net item revenue (subtotal - discount_amount,
excluding shipping and tax, before refunds); spend counts on its stat date;
an order belongs to the campaign of the session it was placed in (last touch).
If the SQL and this file disagree, one of them misreads the definitions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

if TYPE_CHECKING:  # conftest is not importable at run time (no package)
    from conftest import BuiltWarehouse

REPO = Path(__file__).resolve().parents[3]
CART_AND_LATER = {"/cart", "/shipping", "/billing", "/thank-you"}
PAID_SOURCES = ["google", "bing", "meta", "tiktok", "newsletter"]
# The venv's scripts, found even when the venv is not activated (make test).
BIN = Path(sys.executable).parent
MF = BIN / "mf" if (BIN / "mf").exists() else shutil.which("mf")
DBT = BIN / "dbt" if (BIN / "dbt").exists() else shutil.which("dbt")


def _money(value: object) -> Decimal:
    """A money figure rounded to the penny, exactly (no float noise)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def raw(built_warehouse: BuiltWarehouse) -> dict[str, pd.DataFrame]:
    """The raw tables the checks need, with valid orders and their revenue."""
    sessions = built_warehouse.raw("website_sessions", parse_dates=["started_at"])
    orders = built_warehouse.raw("orders", parse_dates=["ordered_at"])
    valid = orders[orders["status"] != "cancelled"].copy()
    # Net item revenue of the order: items at their sale price, less the order
    # discount. Summed in integer pence so that the totals are exact.
    valid["revenue_pence"] = (
        (valid["subtotal"] * 100).round().astype("int64")
        - (valid["discount_amount"] * 100).round().astype("int64")
    )
    return {
        "sessions": sessions,
        "pageviews": built_warehouse.raw("pageviews"),
        "valid_orders": valid,
        "ad_daily_stats": built_warehouse.raw(
            "ad_daily_stats", parse_dates=["stat_date"]
        ),
        "ads": built_warehouse.raw("ads"),
    }


def _campaign_figures(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    stats = raw["ad_daily_stats"].merge(
        raw["ads"][["ad_id", "campaign_id"]], on="ad_id", how="left"
    )
    stats["spend_pence"] = (stats["spend"] * 100).round().astype("int64")
    per_campaign = stats.groupby("campaign_id").agg(
        spend_pence=("spend_pence", "sum"),
        clicks=("clicks", "sum"),
        impressions=("impressions", "sum"),
    )
    attributed = raw["valid_orders"].merge(
        raw["sessions"][["session_id", "utm_campaign"]], on="session_id"
    )
    attributed = attributed[attributed["utm_campaign"].notna()]
    revenue = attributed.groupby(attributed["utm_campaign"].astype("int64")).agg(
        orders=("order_id", "count"), revenue_pence=("revenue_pence", "sum")
    )
    figures = per_campaign.join(revenue, how="left").fillna(0)
    return figures


def test_campaign_roas_ctr_cpc(
    built_warehouse: BuiltWarehouse, raw: dict[str, pd.DataFrame]
) -> None:
    expected = _campaign_figures(raw)
    # The three biggest spenders and the smallest one with spend.
    spenders = expected[expected["spend_pence"] > 0].sort_values(
        "spend_pence", ascending=False
    )
    chosen = [*spenders.index[:3], spenders.index[-1]]
    marts = built_warehouse.query(
        "select campaign_id, spend, clicks, impressions, attributed_orders,"
        " attributed_revenue, roas, ctr, cpc from campaign_performance"
    ).set_index("campaign_id")
    for campaign_id in chosen:
        row = expected.loc[campaign_id]
        mart = marts.loc[campaign_id]
        spend = Decimal(int(row["spend_pence"])) / 100
        revenue = Decimal(int(row["revenue_pence"])) / 100
        assert _money(mart["spend"]) == spend, campaign_id
        assert _money(mart["attributed_revenue"]) == revenue, campaign_id
        assert mart["attributed_orders"] == row["orders"], campaign_id
        assert mart["clicks"] == row["clicks"], campaign_id
        assert mart["roas"] == pytest.approx(float(revenue / spend), rel=1e-9)
        assert mart["ctr"] == pytest.approx(
            row["clicks"] / row["impressions"], rel=1e-9
        )
        if row["clicks"]:
            assert mart["cpc"] == pytest.approx(
                float(spend) / row["clicks"], rel=1e-9
            )
        else:
            assert pd.isna(mart["cpc"])


def test_ratios_are_null_not_zero_without_denominator(
    built_warehouse: BuiltWarehouse,
) -> None:
    bad = built_warehouse.query(
        "select count(*) as n from campaign_performance"
        " where (spend = 0 and roas is not null)"
        " or (clicks = 0 and cpc is not null)"
        " or (impressions = 0 and ctr is not null)"
    )
    assert bad["n"].iloc[0] == 0


def _cart_sessions(raw: dict[str, pd.DataFrame]) -> pd.Series:
    pageviews = raw["pageviews"]
    reached = pageviews.loc[
        pageviews["page_url"].isin(CART_AND_LATER), "session_id"
    ].unique()
    return pd.Series(reached)


def test_cart_abandonment_all_time(
    built_warehouse: BuiltWarehouse, raw: dict[str, pd.DataFrame]
) -> None:
    cart = set(_cart_sessions(raw))
    orders = built_warehouse.raw("orders")
    with_order = set(orders["session_id"])  # any order placed, even cancelled
    abandoned = len(cart - with_order)
    expected = abandoned / len(cart)

    kpi = built_warehouse.query(
        "select cart_sessions, abandoned_cart_sessions, cart_abandonment_rate"
        " from kpi_summary where period_type = 'all_time'"
    ).iloc[0]
    assert kpi["cart_sessions"] == len(cart)
    assert kpi["abandoned_cart_sessions"] == abandoned
    assert kpi["cart_abandonment_rate"] == pytest.approx(expected, rel=1e-12)

    funnel = built_warehouse.query(
        "select sum(sessions) as n from funnel_steps where funnel_step = 'cart'"
    )
    assert funnel["n"].iloc[0] == len(cart)


def test_conversion_by_traffic_source(
    built_warehouse: BuiltWarehouse, raw: dict[str, pd.DataFrame]
) -> None:
    sessions = raw["sessions"].copy()
    converted = set(raw["valid_orders"]["session_id"])
    sessions["converted"] = sessions["session_id"].isin(converted)
    # Paid sessions are credited to utm_source; a session with neither utm
    # nor referrer is direct. (The other unpaid sources depend on referrer
    # host lists, checked through their total.)
    sessions["source"] = sessions["utm_source"]
    no_referrer = sessions["utm_source"].isna() & sessions["referrer"].isna()
    sessions.loc[no_referrer, "source"] = "direct"
    sessions["source"] = sessions["source"].fillna("other_unpaid")
    expected = sessions.groupby("source").agg(
        sessions=("session_id", "count"), orders=("converted", "sum")
    )

    marts = built_warehouse.query(
        "select case when traffic_source in ("
        + ", ".join(f"'{s}'" for s in [*PAID_SOURCES, "direct"])
        + ") then traffic_source else 'other_unpaid' end as source,"
        " sum(sessions) as sessions, sum(orders) as orders,"
        " sum(orders) / sum(sessions) as conversion_rate"
        " from channel_performance group by 1"
    ).set_index("source")
    assert set(marts.index) == set(expected.index)
    for source, row in expected.iterrows():
        mart = marts.loc[source]
        assert mart["sessions"] == row["sessions"], source
        assert mart["orders"] == row["orders"], source
        assert mart["conversion_rate"] == pytest.approx(
            row["orders"] / row["sessions"], rel=1e-12
        )


def test_kpi_summary_month(
    built_warehouse: BuiltWarehouse, raw: dict[str, pd.DataFrame]
) -> None:
    valid = raw["valid_orders"]
    order_month = valid["ordered_at"].dt.to_period("M")
    month = order_month.value_counts().idxmax()  # the busiest month
    in_month = valid[order_month == month]
    sessions = raw["sessions"]
    month_sessions = sessions[sessions["started_at"].dt.to_period("M") == month]
    stats = raw["ad_daily_stats"]
    month_stats = stats[stats["stat_date"].dt.to_period("M") == month]
    spend = Decimal(int((month_stats["spend"] * 100).round().sum())) / 100
    revenue = Decimal(int(in_month["revenue_pence"].sum())) / 100
    converted = month_sessions["session_id"].isin(set(valid["session_id"]))

    kpi = built_warehouse.query(
        "select * from kpi_summary where period_type = 'month'"
        f" and period_start_date = date '{month.start_time.date()}'"
    )
    assert len(kpi) == 1
    row = kpi.iloc[0]
    assert row["orders"] == len(in_month)
    assert _money(row["revenue"]) == revenue
    assert row["active_customers"] == in_month["customer_id"].nunique()
    assert row["sessions"] == len(month_sessions)
    assert row["converted_sessions"] == converted.sum()
    assert _money(row["spend"]) == spend
    assert row["clicks"] == month_stats["clicks"].sum()
    assert row["average_order_value"] == pytest.approx(
        float(revenue) / len(in_month), rel=1e-9
    )
    assert row["conversion_rate"] == pytest.approx(converted.mean(), rel=1e-12)
    assert row["cpc"] == pytest.approx(
        float(spend) / month_stats["clicks"].sum(), rel=1e-9
    )


def test_retention_month_zero_is_everyone(
    built_warehouse: BuiltWarehouse, raw: dict[str, pd.DataFrame]
) -> None:
    valid = raw["valid_orders"]
    first = valid.groupby("customer_id")["ordered_at"].min().dt.to_period("M")
    cohort_sizes = first.value_counts()
    marts = built_warehouse.query(
        "select strftime(cohort_month, '%Y-%m') as cohort, cohort_customers,"
        " retention_rate from customer_retention"
        " where months_since_first_order = 0"
    ).set_index("cohort")
    assert len(marts) == len(cohort_sizes)
    for cohort, size in cohort_sizes.items():
        assert marts.loc[str(cohort), "cohort_customers"] == size
    assert (marts["retention_rate"] == 1.0).all()


def test_semantic_layer_validates(
    built_warehouse: BuiltWarehouse, tmp_path: Path
) -> None:
    """MetricFlow's own validation of the semantic models and metrics,
    including the queries it runs against the built warehouse. mf reads the
    semantic manifest from the project's target/, so parse writes it there.
    It queries a copy of the warehouse: the in-process dbt run of the fixture
    may still hold DuckDB's file lock on the original."""
    # dbt-metricflow is a dev dependency: a missing `mf` is a broken setup,
    # not a reason to skip.
    assert MF is not None, "mf not found: pip install -e '.[dev]'"
    warehouse_copy = tmp_path / "cartify.duckdb"
    shutil.copy(built_warehouse.duckdb_path, warehouse_copy)
    wal = built_warehouse.duckdb_path.with_name(
        built_warehouse.duckdb_path.name + ".wal"
    )
    if wal.exists():
        shutil.copy(wal, warehouse_copy.with_name(warehouse_copy.name + ".wal"))
    env = {
        **os.environ,
        "CARTIFY_DUCKDB_PATH": str(warehouse_copy),
        "CARTIFY_DATA_DIR": str(built_warehouse.raw_dir),
        "DBT_PROFILES_DIR": str(REPO),
    }
    env.pop("DBT_TARGET_PATH", None)
    subprocess.run(
        [str(DBT), "parse", "--quiet", "--target-path", "target"],
        cwd=REPO, env=env, check=True,
    )  # fmt: skip
    result = subprocess.run(
        [str(MF), "validate-configs"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERRORS: 0" in output and "Exception" not in output, output
