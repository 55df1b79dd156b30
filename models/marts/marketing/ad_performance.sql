-- One row per ad: lifetime ad statistics, last-touch results, the ratios
-- computed from those sums, and the ad's rank by ROAS within its campaign,
-- overall, and within its platform, format and placement.

with

stg_cartify__ads as (

    select
        ad_id,
        ad_name,
        campaign_id,
        platform,
        ad_format,
        placement,
        ad_status

    from {{ ref('stg_cartify__ads') }}

),

stg_cartify__campaigns as (

    select
        campaign_id,
        campaign_name

    from {{ ref('stg_cartify__campaigns') }}

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

ads_joined as (

    select
        stg_cartify__ads.ad_id,
        stg_cartify__ads.ad_name,
        stg_cartify__ads.campaign_id,
        stg_cartify__campaigns.campaign_name,
        stg_cartify__ads.platform,
        stg_cartify__ads.ad_format,
        stg_cartify__ads.placement,
        stg_cartify__ads.ad_status,
        int_ads_performance_aggregated.impressions,
        int_ads_performance_aggregated.reach,
        int_ads_performance_aggregated.clicks,
        int_ads_performance_aggregated.leads,
        int_ads_performance_aggregated.spend,
        int_ads_performance_aggregated.sessions,
        int_ads_performance_aggregated.orders,
        int_ads_performance_aggregated.revenue,
        int_ads_performance_aggregated.gross_profit,
        {{ safe_divide(
            'int_ads_performance_aggregated.revenue',
            'int_ads_performance_aggregated.spend'
        ) }} as roas

    from stg_cartify__ads
    inner join int_ads_performance_aggregated
        on stg_cartify__ads.ad_id = int_ads_performance_aggregated.ad_id
    left join stg_cartify__campaigns
        on stg_cartify__ads.campaign_id = stg_cartify__campaigns.campaign_id

),

-- Rank 1 = highest ROAS; ties share a rank (rank(), not row_number()). Ads
-- without spend have no ROAS and no rank: they sort last and are blanked.
ads_ranked as (

    select
        *,
        rank() over (
            partition by campaign_id
            order by case when roas is null then 1 else 0 end, roas desc
        ) as roas_rank_in_campaign,
        rank() over (
            order by case when roas is null then 1 else 0 end, roas desc
        ) as roas_rank_overall,
        rank() over (
            partition by platform
            order by case when roas is null then 1 else 0 end, roas desc
        ) as roas_rank_in_platform,
        rank() over (
            partition by ad_format
            order by case when roas is null then 1 else 0 end, roas desc
        ) as roas_rank_in_format,
        rank() over (
            partition by placement
            order by case when roas is null then 1 else 0 end, roas desc
        ) as roas_rank_in_placement

    from ads_joined

),

final as (

    select
        ad_id,
        ad_name,
        campaign_id,
        campaign_name,
        platform,
        ad_format,
        placement,
        ad_status,
        -- Casts and ratios shared with the other ad marts; its roas is
        -- the same expression as ads_joined.roas, which the ranks use.
        {{ ad_performance_measures() }},
        cast(
            case when roas is not null then roas_rank_in_campaign end
            as {{ dbt.type_bigint() }}
        ) as roas_rank_in_campaign,
        cast(
            case when roas is not null then roas_rank_overall end
            as {{ dbt.type_bigint() }}
        ) as roas_rank_overall,
        cast(
            case when roas is not null then roas_rank_in_platform end
            as {{ dbt.type_bigint() }}
        ) as roas_rank_in_platform,
        cast(
            case when roas is not null then roas_rank_in_format end
            as {{ dbt.type_bigint() }}
        ) as roas_rank_in_format,
        cast(
            case when roas is not null then roas_rank_in_placement end
            as {{ dbt.type_bigint() }}
        ) as roas_rank_in_placement

    from ads_ranked

)

select * from final
