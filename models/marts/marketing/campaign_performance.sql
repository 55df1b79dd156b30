-- One row per campaign: budget, lifetime ad statistics, last-touch results
-- and the ratios computed from those sums (never averages of ratios).

with

stg_cartify__campaigns as (

    select
        campaign_id,
        campaign_name,
        channel,
        objective,
        start_date,
        end_date,
        budget_amount as budget

    from {{ ref('stg_cartify__campaigns') }}

),

int_ads_performance_aggregated as (

    select
        campaign_id,
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

ads_summed_per_campaign as (

    select
        campaign_id,
        count(*) as ads,
        sum(impressions) as impressions,
        sum(reach) as reach,
        sum(clicks) as clicks,
        sum(leads) as leads,
        sum(spend) as spend,
        sum(sessions) as sessions,
        sum(orders) as orders,
        sum(revenue) as revenue,
        sum(gross_profit) as gross_profit

    from int_ads_performance_aggregated
    group by campaign_id

),

campaigns_joined_to_ads as (

    select
        stg_cartify__campaigns.campaign_id,
        stg_cartify__campaigns.campaign_name,
        stg_cartify__campaigns.channel,
        stg_cartify__campaigns.objective,
        stg_cartify__campaigns.start_date,
        stg_cartify__campaigns.end_date,
        stg_cartify__campaigns.budget,
        coalesce(ads_summed_per_campaign.ads, 0) as ads,
        coalesce(ads_summed_per_campaign.impressions, 0) as impressions,
        coalesce(ads_summed_per_campaign.reach, 0) as reach,
        coalesce(ads_summed_per_campaign.clicks, 0) as clicks,
        coalesce(ads_summed_per_campaign.leads, 0) as leads,
        coalesce(ads_summed_per_campaign.spend, 0) as spend,
        coalesce(ads_summed_per_campaign.sessions, 0) as sessions,
        coalesce(ads_summed_per_campaign.orders, 0) as orders,
        coalesce(ads_summed_per_campaign.revenue, 0) as revenue,
        coalesce(ads_summed_per_campaign.gross_profit, 0) as gross_profit

    from stg_cartify__campaigns
    left join ads_summed_per_campaign
        on stg_cartify__campaigns.campaign_id
            = ads_summed_per_campaign.campaign_id

),

final as (

    select
        campaign_id,
        campaign_name,
        channel,
        objective,
        start_date,
        end_date,
        cast(budget as decimal(18, 2)) as budget,
        cast(ads as {{ dbt.type_bigint() }}) as ads,
        {{ ad_performance_measures() }},
        {{ safe_divide('spend', 'budget') }} as budget_utilisation

    from campaigns_joined_to_ads

)

select * from final
