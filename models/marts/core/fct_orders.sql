{#- Incremental, as the table of an event-sized entity whose rows change.
    A run recomputes every order of the customers who have an order that
    changed in the lookback window (macro changed_customer_order_ids: a late
    order renumbers the customer's later orders), and upserts them by
    order_id. docs/decisions.md D1-D3, D13. -#}
{#- post_hook: a key staging no longer trusts leaves the fact too (D69) -#}
{{ config(
    materialized='incremental',
    unique_key='order_id',
    post_hook="{{ cartify_delete_missing(
        'order_id', ref('stg_cartify__orders')
    ) }}",
) }}
-- depends_on: {{ ref('stg_cartify__order_items') }}
-- depends_on: {{ ref('stg_cartify__refunds') }}

-- One row per order: the order, its payment, the session it was placed in
-- (last-touch attribution: that session's traffic source, device, campaign
-- and ad), its items rolled up, and its place in the customer's history.

with

{% if is_incremental() -%}
-- The orders this run recomputes: all orders of the customers with a
-- changed order (the others are unchanged).
orders_to_refresh as (

    {{ changed_customer_order_ids(incremental_lookback_start('ordered_at')) }}

),

{% endif -%}
stg_cartify__orders as (

    select
        order_id,
        customer_id,
        session_id,
        distribution_center_id,
        discount_id,
        order_status,
        ordered_at,
        shipped_at,
        delivered_at,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount

    from {{ ref('stg_cartify__orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

stg_cartify__payments as (

    select
        order_id,
        payment_method,
        payment_status,
        payment_amount,
        paid_at

    from {{ ref('stg_cartify__payments') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

int_sessions_traffic_classified as (

    select
        session_id,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type

    from {{ ref('int_sessions_traffic_classified') }}
    {%- if is_incremental() %}
    where session_id in (select session_id from stg_cartify__orders)
    {%- endif %}

),

int_orders_items_rolled_up as (

    select
        order_id,
        item_count,
        unit_count,
        returned_item_count,
        returned_unit_count,
        net_revenue,
        cost_amount,
        gross_profit,
        refund_amount

    from {{ ref('int_orders_items_rolled_up') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

orders_joined as (

    select
        stg_cartify__orders.*,
        stg_cartify__payments.payment_method,
        stg_cartify__payments.payment_status,
        stg_cartify__payments.payment_amount,
        stg_cartify__payments.paid_at,
        sessions.traffic_source,
        sessions.is_paid,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.campaign_id,
        sessions.ad_id,
        sessions.device_type,
        coalesce(int_orders_items_rolled_up.item_count, 0) as item_count,
        coalesce(int_orders_items_rolled_up.unit_count, 0) as unit_count,
        coalesce(int_orders_items_rolled_up.returned_item_count, 0)
            as returned_item_count,
        coalesce(int_orders_items_rolled_up.returned_unit_count, 0)
            as returned_unit_count,
        coalesce(int_orders_items_rolled_up.net_revenue, 0) as net_revenue,
        coalesce(int_orders_items_rolled_up.cost_amount, 0) as cost_amount,
        coalesce(int_orders_items_rolled_up.gross_profit, 0) as gross_profit,
        coalesce(int_orders_items_rolled_up.refund_amount, 0) as refund_amount

    from stg_cartify__orders
    left join stg_cartify__payments
        on stg_cartify__orders.order_id = stg_cartify__payments.order_id
    left join int_sessions_traffic_classified as sessions
        on stg_cartify__orders.session_id = sessions.session_id
    left join int_orders_items_rolled_up
        on stg_cartify__orders.order_id = int_orders_items_rolled_up.order_id

),

-- customer_order_number counts every order of the customer, cancelled ones
-- included, in ordered_at order (order_id breaks ties).
customer_history_added as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by ordered_at, order_id
        ) as customer_order_number

    from orders_joined

),

final as (

    select
        order_id,
        customer_id,
        session_id,
        distribution_center_id,
        discount_id,
        campaign_id,
        ad_id,
        order_status,
        order_status = 'cancelled' as is_cancelled,
        order_status = 'returned' as is_returned,
        ordered_at,
        cast(ordered_at as date) as order_date,
        shipped_at,
        delivered_at,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        cast(net_revenue as decimal(12, 2)) as net_revenue,
        cast(cost_amount as decimal(12, 2)) as cost_amount,
        cast(gross_profit as decimal(12, 2)) as gross_profit,
        cast(refund_amount as decimal(12, 2)) as refund_amount,
        payment_method,
        payment_status,
        payment_amount,
        paid_at,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        device_type,
        cast(item_count as {{ dbt.type_int() }}) as item_count,
        cast(unit_count as {{ dbt.type_int() }}) as unit_count,
        cast(returned_item_count as {{ dbt.type_int() }})
            as returned_item_count,
        cast(returned_unit_count as {{ dbt.type_int() }})
            as returned_unit_count,
        cast(customer_order_number as {{ dbt.type_int() }})
            as customer_order_number,
        customer_order_number = 1 as is_first_order

    from customer_history_added

)

select * from final
