-- kpi_summary agrees exactly with the detailed marts, month by month and for
-- the whole period:
--   spend    = Σ channel_performance.spend by month (allocated over devices
--              unrounded, so compared at the penny) and, all time,
--              = Σ campaign_performance.spend = Σ ad_performance.spend
--   revenue  = Σ sales_by_geography.revenue (order month); all time also
--              = Σ discount_performance.revenue
--   orders   = Σ sales_by_geography.orders; all time also
--              = Σ discount_performance.orders
--   sessions = Σ channel_performance.sessions = Σ funnel_steps.sessions of
--              the landing step (session month)
-- Returns one row per disagreeing period and measure.

with

kpi_summary as (

    select
        period_type,
        period_start_date,
        spend,
        revenue,
        orders,
        sessions

    from {{ ref('kpi_summary') }}

),

channel_performance as (

    select
        session_month,
        sessions,
        spend

    from {{ ref('channel_performance') }}

),

funnel_steps as (

    select
        session_month,
        sessions

    from {{ ref('funnel_steps') }}
    where step_number = 1

),

sales_by_geography as (

    select
        order_month,
        orders,
        revenue

    from {{ ref('sales_by_geography') }}

),

campaign_performance as (

    select spend
    from {{ ref('campaign_performance') }}

),

ad_performance as (

    select spend
    from {{ ref('ad_performance') }}

),

discount_performance as (

    select
        orders,
        revenue

    from {{ ref('discount_performance') }}

),

channel_per_month as (

    select
        session_month as period_start_date,
        sum(sessions) as sessions,
        {{ round_number('coalesce(sum(spend), 0)', 2) }} as spend

    from channel_performance
    group by session_month

),

funnel_per_month as (

    select
        session_month as period_start_date,
        sum(sessions) as sessions

    from funnel_steps
    group by session_month

),

geography_per_month as (

    select
        order_month as period_start_date,
        sum(orders) as orders,
        sum(revenue) as revenue

    from sales_by_geography
    group by order_month

),

-- Each detailed figure as (period, measure, value), months then all time.
detailed as (

    select
        'month' as period_type, period_start_date,
        'spend' as measure, spend as detailed_value
    from channel_per_month
    union all
    select 'month', period_start_date, 'sessions', sessions
    from channel_per_month
    union all
    select 'month', period_start_date, 'sessions', sessions
    from funnel_per_month
    union all
    select 'month', period_start_date, 'revenue', revenue
    from geography_per_month
    union all
    select 'month', period_start_date, 'orders', orders
    from geography_per_month
    union all
    select
        'all_time', null, 'spend',
        {{ round_number('coalesce(sum(spend), 0)', 2) }}
    from channel_performance
    union all
    select 'all_time', null, 'spend', coalesce(sum(spend), 0)
    from campaign_performance
    union all
    select 'all_time', null, 'spend', coalesce(sum(spend), 0)
    from ad_performance
    union all
    select 'all_time', null, 'sessions', coalesce(sum(sessions), 0)
    from channel_performance
    union all
    select 'all_time', null, 'sessions', coalesce(sum(sessions), 0)
    from funnel_steps
    union all
    select 'all_time', null, 'revenue', coalesce(sum(revenue), 0)
    from sales_by_geography
    union all
    select 'all_time', null, 'revenue', coalesce(sum(revenue), 0)
    from discount_performance
    union all
    select 'all_time', null, 'orders', coalesce(sum(orders), 0)
    from sales_by_geography
    union all
    select 'all_time', null, 'orders', coalesce(sum(orders), 0)
    from discount_performance

),

summary as (

    select
        period_type, period_start_date, 'spend' as measure,
        spend as summary_value
    from kpi_summary
    union all
    select period_type, period_start_date, 'revenue', revenue
    from kpi_summary
    union all
    select period_type, period_start_date, 'orders', orders
    from kpi_summary
    union all
    select period_type, period_start_date, 'sessions', sessions
    from kpi_summary

),

-- A period with a non-zero detailed figure missing from kpi_summary fails,
-- and so does any disagreeing figure; all-time rows match on type alone.
final as (

    select
        detailed.period_type,
        detailed.period_start_date,
        detailed.measure,
        detailed.detailed_value,
        summary.summary_value

    from detailed
    left join summary
        on
            detailed.period_type = summary.period_type
            and detailed.measure = summary.measure
            and (
                detailed.period_start_date = summary.period_start_date
                or detailed.period_type = 'all_time'
            )
    where
        (summary.summary_value is null and detailed.detailed_value <> 0)
        or detailed.detailed_value <> summary.summary_value

)

select * from final
