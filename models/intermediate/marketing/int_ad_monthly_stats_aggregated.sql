{#- A table, not the intermediate default view: read by
    int_ads_performance_aggregated, channel_performance, kpi_summary and
    tests, and as a view each read would redo the aggregation. Protected,
    not private like the rest of the layer: the MetricFlow semantic model
    ad_monthly_stats reads it, and semantic models belong to no group, so
    dbt refuses them a private model (docs/decisions.md D17). -#}
{{ config(materialized='table', access='protected') }}

-- One row per ad × calendar month of stat_date: the ad platforms' daily
-- statistics summed to the month, with the ad's campaign and platform. Spend
-- counts in the month of its stat_date (docs/metrics.md).

with

stg_cartify__ad_daily_stats as (

    select
        ad_id,
        cast({{ dbt.date_trunc('month', 'stat_date') }} as date) as stat_month,
        impressions,
        reach,
        clicks,
        leads,
        spend_amount as spend

    from {{ ref('stg_cartify__ad_daily_stats') }}

),

stg_cartify__ads as (

    select
        ad_id,
        campaign_id,
        platform

    from {{ ref('stg_cartify__ads') }}

),

stats_joined_to_ads as (

    select
        stg_cartify__ads.campaign_id,
        stg_cartify__ads.platform,
        stg_cartify__ad_daily_stats.ad_id,
        stg_cartify__ad_daily_stats.stat_month,
        stg_cartify__ad_daily_stats.impressions,
        stg_cartify__ad_daily_stats.reach,
        stg_cartify__ad_daily_stats.clicks,
        stg_cartify__ad_daily_stats.leads,
        stg_cartify__ad_daily_stats.spend

    from stg_cartify__ad_daily_stats
    left join stg_cartify__ads
        on stg_cartify__ad_daily_stats.ad_id = stg_cartify__ads.ad_id

),

final as (

    select
        ad_id,
        stat_month,
        campaign_id,
        platform,
        count(*) as stat_days,
        sum(impressions) as impressions,
        sum(reach) as reach,
        sum(clicks) as clicks,
        sum(leads) as leads,
        sum(spend) as spend

    from stats_joined_to_ads
    group by
        ad_id,
        stat_month,
        campaign_id,
        platform

)

select * from final
