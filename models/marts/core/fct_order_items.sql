{#- Incremental (event-sized, items change): a run upserts, by
    order_item_id, the items int_order_items_enriched recomputed (the same
    macro changed_order_ids, from this table's latest ordered_at minus the
    lookback). docs/decisions.md. -#}
{{ config(materialized='incremental', unique_key='order_item_id') }}
-- depends_on: {{ ref('stg_cartify__orders') }}
-- depends_on: {{ ref('stg_cartify__order_items') }}
-- depends_on: {{ ref('stg_cartify__refunds') }}
-- depends_on: {{ ref('stg_cartify__payments') }}
-- depends_on: {{ ref('stg_cartify__products') }}

-- One row per order item: amounts after the allocated order discount, cost,
-- gross profit, return and refund, from int_order_items_enriched.

with

{% if is_incremental() -%}
-- The orders whose items this run upserts (the others are unchanged).
orders_to_refresh as (

    {{ changed_order_ids(
        incremental_lookback_start('ordered_at'),
        include_product_changes=true
    ) }}

),

{% endif -%}
int_order_items_enriched as (

    select
        order_item_id,
        order_id,
        customer_id,
        session_id,
        product_id,
        discount_id,
        distribution_center_id,
        ordered_at,
        order_date,
        order_status,
        item_status,
        category,
        brand,
        quantity,
        unit_price,
        unit_cost,
        gross_amount,
        discount_share,
        net_amount,
        cost_amount,
        gross_profit,
        is_cancelled,
        is_returned,
        shipped_at,
        delivered_at,
        returned_at,
        refund_amount,
        refund_reason,
        refunded_at

    from {{ ref('int_order_items_enriched') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

final as (

    select
        order_item_id,
        order_id,
        customer_id,
        session_id,
        product_id,
        discount_id,
        distribution_center_id,
        ordered_at,
        order_date,
        order_status,
        item_status,
        category,
        brand,
        quantity,
        unit_price,
        unit_cost,
        gross_amount,
        discount_share,
        net_amount,
        cost_amount,
        gross_profit,
        is_cancelled,
        is_returned,
        shipped_at,
        delivered_at,
        returned_at,
        refund_amount,
        refund_reason,
        refunded_at

    from int_order_items_enriched

)

select * from final
