-- One row per ad platform × ad format × placement: the lifetime ad
-- statistics and last-touch results of its ads, summed, and the ratios
-- recomputed from those sums (platform-level CTR, ROAS, ...).

with

stg_cartify__ads as (

    select
        ad_id,
        platform,
        ad_format,
        placement

    from {{ ref('stg_cartify__ads') }}

),

int_ads_performance_aggregated as (

    select
        ad_id,
        impressions,
        reach,
        clicks,
        leads,
        spend,
        sessions,
        orders,
        revenue,
        gross_profit

    from {{ ref('int_ads_performance_aggregated') }}

),

ads_summed as (

    select
        stg_cartify__ads.platform,
        stg_cartify__ads.ad_format,
        stg_cartify__ads.placement,
        count(*) as ads,
        sum(int_ads_performance_aggregated.impressions) as impressions,
        sum(int_ads_performance_aggregated.reach) as reach,
        sum(int_ads_performance_aggregated.clicks) as clicks,
        sum(int_ads_performance_aggregated.leads) as leads,
        sum(int_ads_performance_aggregated.spend) as spend,
        sum(int_ads_performance_aggregated.sessions) as sessions,
        sum(int_ads_performance_aggregated.orders) as orders,
        sum(int_ads_performance_aggregated.revenue) as revenue,
        sum(int_ads_performance_aggregated.gross_profit) as gross_profit

    from stg_cartify__ads
    inner join int_ads_performance_aggregated
        on stg_cartify__ads.ad_id = int_ads_performance_aggregated.ad_id
    group by
        stg_cartify__ads.platform,
        stg_cartify__ads.ad_format,
        stg_cartify__ads.placement

),

final as (

    select
        platform,
        ad_format,
        placement,
        cast(ads as {{ dbt.type_bigint() }}) as ads,
        {{ ad_performance_measures() }}

    from ads_summed

)

select * from final
