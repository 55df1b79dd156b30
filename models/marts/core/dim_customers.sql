-- One row per customer: profile, nearest distribution center and order
-- history (lifetime figures count orders that were not cancelled). No
-- personal data (name, e-mail, street, postal code, exact coordinates): it
-- stays in staging (docs/decisions.md D18).

with

stg_cartify__customers as (

    select
        customer_id,
        gender,
        birth_date,
        city,
        state,
        country,
        country_code,
        acquisition_channel,
        signed_up_at,
        updated_at

    from {{ ref('stg_cartify__customers') }}

),

int_customers_nearest_distribution_center as (

    select
        customer_id,
        nearest_distribution_center_id,
        nearest_distribution_center_name,
        distance_to_nearest_distribution_center_km

    from {{ ref('int_customers_nearest_distribution_center') }}

),

fct_orders as (

    select
        customer_id,
        ordered_at,
        is_cancelled,
        is_first_order,
        traffic_source,
        net_revenue,
        gross_profit,
        refund_amount

    from {{ ref('fct_orders') }}

),

orders_rolled_up as (

    select
        customer_id,
        count(*) as order_count,
        sum(case when is_cancelled then 0 else 1 end) as valid_order_count,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at,
        max(case when is_first_order then traffic_source end)
            as first_order_traffic_source,
        sum(case when is_cancelled then 0 else net_revenue end)
            as lifetime_net_revenue,
        sum(case when is_cancelled then 0 else gross_profit end)
            as lifetime_gross_profit,
        sum(refund_amount) as lifetime_refund_amount

    from fct_orders
    group by customer_id

),

final as (

    select
        stg_cartify__customers.customer_id,
        stg_cartify__customers.gender,
        stg_cartify__customers.birth_date,
        stg_cartify__customers.city,
        stg_cartify__customers.state,
        stg_cartify__customers.country,
        stg_cartify__customers.country_code,
        stg_cartify__customers.acquisition_channel,
        stg_cartify__customers.signed_up_at,
        cast(stg_cartify__customers.signed_up_at as date) as signed_up_date,
        -- unique to the nearest-DC model, so unqualified
        nearest_distribution_center_id,
        nearest_distribution_center_name,
        distance_to_nearest_distribution_center_km,
        orders_rolled_up.first_ordered_at,
        orders_rolled_up.last_ordered_at,
        orders_rolled_up.first_order_traffic_source,
        cast(coalesce(orders_rolled_up.order_count, 0)
            as {{ dbt.type_int() }}) as order_count,
        cast(coalesce(orders_rolled_up.valid_order_count, 0)
            as {{ dbt.type_int() }}) as valid_order_count,
        coalesce(orders_rolled_up.order_count, 0) > 0 as has_ordered,
        cast(coalesce(orders_rolled_up.lifetime_net_revenue, 0)
            as decimal(12,2)) as lifetime_net_revenue,
        cast(coalesce(orders_rolled_up.lifetime_gross_profit, 0)
            as decimal(12,2)) as lifetime_gross_profit,
        cast(coalesce(orders_rolled_up.lifetime_refund_amount, 0)
            as decimal(12,2)) as lifetime_refund_amount,
        stg_cartify__customers.updated_at

    from stg_cartify__customers
    left join int_customers_nearest_distribution_center
        on stg_cartify__customers.customer_id
        = int_customers_nearest_distribution_center.customer_id
    left join orders_rolled_up
        on stg_cartify__customers.customer_id = orders_rolled_up.customer_id

)

select * from final
