-- Spend reconciles across layers: Σ campaign_performance.spend =
-- Σ ad_performance.spend = Σ ad_placement_performance.spend =
-- Σ stg_cartify__ad_daily_stats.spend_amount (every daily stats row, by stat
-- date). Returns a row when any two differ.

with

campaign_performance as (

    select coalesce(sum(spend), 0) as spend
    from {{ ref('campaign_performance') }}

),

ad_performance as (

    select coalesce(sum(spend), 0) as spend
    from {{ ref('ad_performance') }}

),

ad_placement_performance as (

    select coalesce(sum(spend), 0) as spend
    from {{ ref('ad_placement_performance') }}

),

stg_cartify__ad_daily_stats as (

    select coalesce(sum(spend_amount), 0) as spend
    from {{ ref('stg_cartify__ad_daily_stats') }}

),

final as (

    select
        campaign_performance.spend as campaign_spend,
        ad_performance.spend as ad_spend,
        ad_placement_performance.spend as placement_spend,
        stg_cartify__ad_daily_stats.spend as ad_stats_spend

    from campaign_performance
    cross join ad_performance
    cross join ad_placement_performance
    cross join stg_cartify__ad_daily_stats
    where
        campaign_performance.spend <> ad_performance.spend
        or ad_performance.spend <> ad_placement_performance.spend
        or ad_performance.spend <> stg_cartify__ad_daily_stats.spend

)

select * from final
