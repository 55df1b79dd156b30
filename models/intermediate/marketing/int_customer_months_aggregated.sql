{#- A table, not the intermediate default view: read by customer_retention,
    customers_new_vs_returning, kpi_summary and tests: as a view each read
    would redo the roll-up of the event-sized fct_orders. -#}
{{ config(materialized='table') }}

-- One row per customer × calendar month in which the customer placed at least
-- one valid (not cancelled) order: that month's orders and revenue, the
-- customer's first-order month (cohort), months since it, and the customer's
-- running order count at the end of the month. Shared by customer_retention,
-- customers_new_vs_returning and kpi_summary.

with

fct_orders as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'ordered_at') }} as date)
            as order_month,
        net_revenue

    from {{ ref('fct_orders') }}
    where not is_cancelled

),

orders_per_customer_month as (

    select
        customer_id,
        order_month,
        count(*) as orders,
        cast(sum(net_revenue) as decimal(18, 2)) as revenue

    from fct_orders
    group by
        customer_id,
        order_month

),

first_order_month_added as (

    select
        customer_id,
        order_month,
        orders,
        revenue,
        min(order_month) over (partition by customer_id) as first_order_month,
        sum(orders) over (
            partition by customer_id
            order by order_month
            rows between unbounded preceding and current row
        ) as cumulative_orders

    from orders_per_customer_month

),

final as (

    select
        customer_id,
        order_month,
        first_order_month,
        {{ dbt.datediff('first_order_month', 'order_month', 'month') }}
            as months_since_first_order,
        order_month = first_order_month as is_first_order_month,
        orders,
        revenue,
        cumulative_orders

    from first_order_month_added

)

select * from final
