-- One row per calendar month, plus one row (period_type 'all_time') for the
-- whole period: the one-glance KPIs. Every figure is summed from the same
-- intermediate models as the detailed marts, on the same date basis: orders,
-- revenue and customers by order month, sessions and the funnel by session
-- month, ad statistics by stat date.

with

stg_cartify__customers as (

    select
        cast({{ dbt.date_trunc('month', 'signed_up_at') }} as date)
            as signed_up_month

    from {{ ref('stg_cartify__customers') }}

),

int_customer_months_aggregated as (

    select
        customer_id,
        order_month,
        is_first_order_month,
        cumulative_orders

    from {{ ref('int_customer_months_aggregated') }}

),

fct_orders as (

    select
        cast({{ dbt.date_trunc('month', 'ordered_at') }} as date)
            as order_month,
        is_paid,
        net_revenue,
        gross_profit,
        refund_amount

    from {{ ref('fct_orders') }}
    where not is_cancelled

),

int_sessions_aggregated_monthly as (

    select
        session_month,
        sessions,
        cart_sessions,
        abandoned_cart_sessions,
        converted_sessions

    from {{ ref('int_sessions_aggregated_monthly') }}

),

int_ad_monthly_stats_aggregated as (

    select
        stat_month,
        impressions,
        clicks,
        spend

    from {{ ref('int_ad_monthly_stats_aggregated') }}

),

int_as_of_date as (

    select
        as_of_date,
        first_data_date

    from {{ ref('int_as_of_date') }}

),

orders_per_month as (

    select
        order_month as period_month,
        count(*) as orders,
        sum(net_revenue) as revenue,
        sum(gross_profit) as gross_profit,
        coalesce(sum(refund_amount), 0) as refunds,
        sum(case when is_paid then net_revenue else 0 end)
            as attributed_revenue

    from fct_orders
    group by order_month

),

customers_per_month as (

    select
        order_month as period_month,
        count(*) as active_customers,
        sum(case when is_first_order_month then 1 else 0 end)
            as new_customers,
        sum(case when cumulative_orders >= 2 then 1 else 0 end)
            as repeat_customers

    from int_customer_months_aggregated
    group by order_month

),

sessions_per_month as (

    select
        session_month as period_month,
        sum(sessions) as sessions,
        sum(cart_sessions) as cart_sessions,
        sum(abandoned_cart_sessions) as abandoned_cart_sessions,
        sum(converted_sessions) as converted_sessions

    from int_sessions_aggregated_monthly
    group by session_month

),

ad_stats_per_month as (

    select
        stat_month as period_month,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(spend) as spend

    from int_ad_monthly_stats_aggregated
    group by stat_month

),

signups_per_month as (

    select
        signed_up_month,
        count(*) as signups

    from stg_cartify__customers
    group by signed_up_month

),

-- The months of the summary: every month with an order, a session or ad
-- statistics.
months as (

    select period_month from orders_per_month
    union
    select period_month from sessions_per_month
    union
    select period_month from ad_stats_per_month

),

-- The customer base at the end of each month: customers signed up by then.
customer_base_per_month as (

    select
        months.period_month,
        coalesce(sum(signups_per_month.signups), 0) as cumulative_customers

    from months
    left join signups_per_month
        on signups_per_month.signed_up_month <= months.period_month
    group by months.period_month

),

monthly as (

    select
        'month' as period_type,
        months.period_month as period_start_date,
        cast(
            {{ dbt.dateadd(
                'day', -1,
                dbt.dateadd('month', 1, 'months.period_month')
            ) }} as date
        ) as period_end_date,
        customer_base_per_month.cumulative_customers,
        coalesce(customers_per_month.active_customers, 0) as active_customers,
        coalesce(customers_per_month.new_customers, 0) as new_customers,
        coalesce(customers_per_month.repeat_customers, 0) as repeat_customers,
        coalesce(orders_per_month.orders, 0) as orders,
        coalesce(sessions_per_month.sessions, 0) as sessions,
        coalesce(sessions_per_month.cart_sessions, 0) as cart_sessions,
        coalesce(sessions_per_month.abandoned_cart_sessions, 0)
            as abandoned_cart_sessions,
        coalesce(sessions_per_month.converted_sessions, 0)
            as converted_sessions,
        coalesce(orders_per_month.revenue, 0) as revenue,
        coalesce(orders_per_month.gross_profit, 0) as gross_profit,
        coalesce(orders_per_month.refunds, 0) as refunds,
        coalesce(ad_stats_per_month.spend, 0) as spend,
        coalesce(ad_stats_per_month.impressions, 0) as impressions,
        coalesce(ad_stats_per_month.clicks, 0) as clicks,
        coalesce(orders_per_month.attributed_revenue, 0)
            as attributed_revenue

    from months
    inner join customer_base_per_month
        on months.period_month = customer_base_per_month.period_month
    left join customers_per_month
        on months.period_month = customers_per_month.period_month
    left join orders_per_month
        on months.period_month = orders_per_month.period_month
    left join sessions_per_month
        on months.period_month = sessions_per_month.period_month
    left join ad_stats_per_month
        on months.period_month = ad_stats_per_month.period_month

),

-- Distinct customers over the whole period: not a sum of the months.
customers_all_time as (

    select
        count(distinct customer_id) as active_customers,
        count(distinct customer_id) as new_customers,
        count(
            distinct case when cumulative_orders >= 2 then customer_id end
        ) as repeat_customers

    from int_customer_months_aggregated

),

all_time as (

    select
        'all_time' as period_type,
        min(monthly.period_start_date) as period_start_date,
        max(monthly.period_end_date) as period_end_date,
        max(monthly.cumulative_customers) as cumulative_customers,
        max(customers_all_time.active_customers) as active_customers,
        max(customers_all_time.new_customers) as new_customers,
        max(customers_all_time.repeat_customers) as repeat_customers,
        sum(monthly.orders) as orders,
        sum(monthly.sessions) as sessions,
        sum(monthly.cart_sessions) as cart_sessions,
        sum(monthly.abandoned_cart_sessions) as abandoned_cart_sessions,
        sum(monthly.converted_sessions) as converted_sessions,
        sum(monthly.revenue) as revenue,
        sum(monthly.gross_profit) as gross_profit,
        sum(monthly.refunds) as refunds,
        sum(monthly.spend) as spend,
        sum(monthly.impressions) as impressions,
        sum(monthly.clicks) as clicks,
        sum(monthly.attributed_revenue) as attributed_revenue

    from monthly
    cross join customers_all_time
    -- no all-time row for an empty warehouse (it would have no dates)
    having count(*) > 0

),

periods as (

    select * from monthly
    union all
    select * from all_time

),

-- A period is partial when the data does not cover all of its days: it
-- starts before the first day with data or ends after the reporting date
-- (usually the month in progress).
periods_flagged as (

    select
        periods.*,
        coalesce(
            periods.period_start_date < int_as_of_date.first_data_date
            or periods.period_end_date > int_as_of_date.as_of_date,
            false
        ) as is_partial_period

    from periods
    cross join int_as_of_date

),

final as (

    select
        period_type,
        period_start_date,
        period_end_date,
        is_partial_period,
        cast(cumulative_customers as {{ dbt.type_bigint() }})
            as cumulative_customers,
        cast(active_customers as {{ dbt.type_bigint() }}) as active_customers,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(repeat_customers as {{ dbt.type_bigint() }}) as repeat_customers,
        {{ safe_divide('repeat_customers', 'active_customers') }}
            as repeat_customer_rate,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        {{ safe_divide('orders', 'active_customers') }} as orders_per_customer,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(cart_sessions as {{ dbt.type_bigint() }}) as cart_sessions,
        cast(abandoned_cart_sessions as {{ dbt.type_bigint() }})
            as abandoned_cart_sessions,
        {{ safe_divide('abandoned_cart_sessions', 'cart_sessions') }}
            as cart_abandonment_rate,
        cast(converted_sessions as {{ dbt.type_bigint() }})
            as converted_sessions,
        {{ safe_divide('converted_sessions', 'sessions') }} as conversion_rate,
        cast(revenue as decimal(18, 2)) as revenue,
        {{ safe_divide('revenue', 'orders') }} as average_order_value,
        cast(gross_profit as decimal(18, 2)) as gross_profit,
        {{ safe_divide('gross_profit', 'revenue') }} as gross_margin,
        cast(refunds as decimal(18, 2)) as refunds,
        {{ safe_divide('refunds', 'revenue') }} as refund_rate,
        cast(spend as decimal(18, 2)) as spend,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        {{ safe_divide('spend', 'clicks') }} as cpc,
        {{ safe_divide('clicks', 'impressions') }} as ctr,
        cast(attributed_revenue as decimal(18, 2)) as attributed_revenue,
        {{ safe_divide('attributed_revenue', 'spend') }} as roas,
        {{ safe_divide('attributed_revenue - spend', 'spend') }} as roi

    from periods_flagged

)

select * from final
