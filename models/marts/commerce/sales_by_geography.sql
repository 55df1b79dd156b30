-- One row per order month × country × state × city of the customer's
-- address: valid orders, distinct ordering customers and revenue.

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

stg_cartify__customers as (

    select
        customer_id,
        country,
        country_code,
        state,
        city

    from {{ ref('stg_cartify__customers') }}

),

orders_joined_to_customers as (

    select
        fct_orders.order_month,
        stg_cartify__customers.country,
        stg_cartify__customers.country_code,
        stg_cartify__customers.state,
        stg_cartify__customers.city,
        fct_orders.customer_id,
        fct_orders.net_revenue

    from fct_orders
    left join stg_cartify__customers
        on fct_orders.customer_id
            = stg_cartify__customers.customer_id

),

final as (

    select
        order_month,
        country,
        country_code,
        state,
        city,
        cast(count(*) as {{ dbt.type_bigint() }}) as orders,
        cast(count(distinct customer_id) as {{ dbt.type_bigint() }})
            as customers,
        cast(sum(net_revenue) as decimal(18, 2)) as revenue,
        {{ safe_divide('sum(net_revenue)', 'count(*)') }}
            as average_order_value

    from orders_joined_to_customers
    group by
        order_month,
        country,
        country_code,
        state,
        city

)

select * from final
