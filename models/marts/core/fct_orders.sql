{#- Incremental (event-sized, orders change): a run upserts, by order_id,
    the orders int_orders_attributed recomputed (the same macro
    changed_customer_order_ids, from this table's latest ordered_at minus
    the lookback). docs/decisions.md. -#}
{{ config(materialized='incremental', unique_key='order_id') }}
-- depends_on: {{ ref('stg_cartify__orders') }}
-- depends_on: {{ ref('stg_cartify__order_items') }}
-- depends_on: {{ ref('stg_cartify__refunds') }}
-- depends_on: {{ ref('stg_cartify__payments') }}

-- One row per order: amounts, payment, last-touch attribution and item
-- roll-up, from int_orders_attributed.

with

{% if is_incremental() -%}
-- The orders this run upserts: all orders of the customers with a changed
-- order (the others are unchanged).
orders_to_refresh as (

    {{ changed_customer_order_ids(incremental_lookback_start('ordered_at')) }}

),

{% endif -%}
int_orders_attributed as (

    select
        order_id,
        customer_id,
        session_id,
        distribution_center_id,
        discount_id,
        order_status,
        is_cancelled,
        is_returned,
        ordered_at,
        order_date,
        shipped_at,
        delivered_at,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        payment_method,
        payment_status,
        payment_amount,
        paid_at,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type,
        item_count,
        unit_count,
        returned_item_count,
        returned_unit_count,
        net_revenue,
        cost_amount,
        gross_profit,
        refund_amount,
        customer_order_number,
        is_first_order

    from {{ ref('int_orders_attributed') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

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
        is_cancelled,
        is_returned,
        ordered_at,
        order_date,
        shipped_at,
        delivered_at,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        net_revenue,
        cost_amount,
        gross_profit,
        refund_amount,
        payment_method,
        payment_status,
        payment_amount,
        paid_at,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        device_type,
        item_count,
        unit_count,
        returned_item_count,
        returned_unit_count,
        customer_order_number,
        is_first_order

    from int_orders_attributed

)

select * from final
