-- Daily ad spend follows the placement's price: cpc clicks × price, cpm
-- impressions × price / 1000 rounded to the penny; and stats fall within the
-- campaign's dates.

with

stg_cartify__ad_daily_stats as (

    select
        ad_id,
        stat_date,
        impressions,
        clicks,
        spend_amount

    from {{ ref('stg_cartify__ad_daily_stats') }}

),

stg_cartify__ads as (

    select
        ad_id,
        campaign_id,
        ad_placement_id

    from {{ ref('stg_cartify__ads') }}

),

stg_cartify__campaigns as (

    select
        campaign_id,
        start_date,
        end_date

    from {{ ref('stg_cartify__campaigns') }}

),

stg_cartify__ad_placement_pricing as (

    select
        ad_placement_id,
        pricing_model,
        unit_price

    from {{ ref('stg_cartify__ad_placement_pricing') }}

),

stats_joined as (

    select
        stg_cartify__ad_daily_stats.ad_id,
        stg_cartify__ad_daily_stats.stat_date,
        stg_cartify__ad_daily_stats.spend_amount,
        stg_cartify__campaigns.start_date,
        stg_cartify__campaigns.end_date,
        -- Exact decimal arithmetic, no division: a cpm spend may sit half a
        -- penny either side of the exact value (any rounding mode passes).
        case stg_cartify__ad_placement_pricing.pricing_model
            when 'cpc'
                then
                    stg_cartify__ad_daily_stats.spend_amount
                    = stg_cartify__ad_daily_stats.clicks
                    * stg_cartify__ad_placement_pricing.unit_price
            when 'cpm' then
                abs(
                    stg_cartify__ad_daily_stats.spend_amount * 1000
                    - stg_cartify__ad_daily_stats.impressions
                    * stg_cartify__ad_placement_pricing.unit_price
                ) <= 5
        end as is_spend_priced

    from stg_cartify__ad_daily_stats
    left join stg_cartify__ads
        on stg_cartify__ad_daily_stats.ad_id = stg_cartify__ads.ad_id
    left join stg_cartify__campaigns
        on stg_cartify__ads.campaign_id = stg_cartify__campaigns.campaign_id
    left join stg_cartify__ad_placement_pricing
        on
            stg_cartify__ads.ad_placement_id
            = stg_cartify__ad_placement_pricing.ad_placement_id

),

final as (

    select *
    from stats_joined
    where
        not coalesce(is_spend_priced, false)
        or stat_date < start_date
        or stat_date > end_date

)

select * from final
