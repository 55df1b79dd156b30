{#- A table, not the intermediate default view: read by ad_performance,
    ad_placement_performance, campaign_performance and tests: as a view
    each read would redo the roll-up of the ad statistics and sessions. -#}
{{ config(materialized='table') }}

-- One row per ad (every ad, with or without statistics or sessions): its
-- lifetime ad-platform statistics and its last-touch results (sessions, valid
-- orders, revenue, gross profit). Shared by ad_performance and, summed per
-- campaign, campaign_performance, so both read the same totals.

with

stg_cartify__ads as (

    select
        ad_id,
        campaign_id

    from {{ ref('stg_cartify__ads') }}

),

int_ad_monthly_stats_aggregated as (

    select
        ad_id,
        impressions,
        reach,
        clicks,
        leads,
        spend

    from {{ ref('int_ad_monthly_stats_aggregated') }}

),

int_sessions_aggregated_monthly as (

    select
        ad_id,
        sessions,
        converted_sessions,
        revenue,
        gross_profit

    from {{ ref('int_sessions_aggregated_monthly') }}
    where ad_id is not null

),

stats_per_ad as (

    select
        ad_id,
        sum(impressions) as impressions,
        sum(reach) as reach,
        sum(clicks) as clicks,
        sum(leads) as leads,
        sum(spend) as spend

    from int_ad_monthly_stats_aggregated
    group by ad_id

),

results_per_ad as (

    select
        ad_id,
        sum(sessions) as sessions,
        -- one order per session: converted sessions are the orders
        sum(converted_sessions) as orders,
        sum(revenue) as revenue,
        sum(gross_profit) as gross_profit

    from int_sessions_aggregated_monthly
    group by ad_id

),

final as (

    select
        stg_cartify__ads.ad_id,
        stg_cartify__ads.campaign_id,
        coalesce(stats_per_ad.impressions, 0) as impressions,
        coalesce(stats_per_ad.reach, 0) as reach,
        coalesce(stats_per_ad.clicks, 0) as clicks,
        coalesce(stats_per_ad.leads, 0) as leads,
        coalesce(stats_per_ad.spend, 0) as spend,
        coalesce(results_per_ad.sessions, 0) as sessions,
        coalesce(results_per_ad.orders, 0) as orders,
        coalesce(results_per_ad.revenue, 0) as revenue,
        coalesce(results_per_ad.gross_profit, 0) as gross_profit

    from stg_cartify__ads
    left join stats_per_ad
        on stg_cartify__ads.ad_id = stats_per_ad.ad_id
    left join results_per_ad
        on stg_cartify__ads.ad_id = results_per_ad.ad_id

)

select * from final
