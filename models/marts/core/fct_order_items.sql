{#- Incremental, as the table of an event-sized entity whose rows change
    (status, returns, refunds). A run recomputes every item of the orders
    that changed in the lookback window (macro changed_order_ids: the order,
    an item, a refund, the payment or a product of it), whole orders because
    the discount allocation spans the order, and upserts them by
    order_item_id. docs/decisions.md D1-D3, D13. -#}
{#- post_hook: a key staging no longer trusts leaves the fact too (D69) -#}
{{ config(
    materialized='incremental',
    unique_key='order_item_id',
    post_hook="{{ cartify_delete_missing(
        'order_item_id', ref('stg_cartify__order_items')
    ) }}",
) }}
-- depends_on: {{ ref('stg_cartify__order_items') }}
-- depends_on: {{ ref('stg_cartify__payments') }}

-- One row per order item: the item with its order's context, its product,
-- its amounts (gross, allocated discount, net, cost, gross profit) and its
-- return and refund.

with

{% if is_incremental() -%}
-- The orders whose items this run recomputes (the others are unchanged).
orders_to_refresh as (

    {{ changed_order_ids(
        incremental_lookback_start('ordered_at'),
        include_product_changes=true
    ) }}

),

{% endif -%}
int_order_items_discount_allocated as (

    select
        order_item_id,
        order_id,
        product_id,
        item_status,
        quantity,
        unit_price,
        unit_cost,
        gross_amount,
        discount_share,
        net_amount,
        cost_amount,
        gross_profit,
        shipped_at,
        delivered_at,
        returned_at

    from {{ ref('int_order_items_discount_allocated') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

stg_cartify__orders as (

    select
        order_id,
        customer_id,
        session_id,
        ordered_at,
        order_status,
        discount_id,
        distribution_center_id

    from {{ ref('stg_cartify__orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

stg_cartify__products as (

    select
        product_id,
        category,
        brand

    from {{ ref('stg_cartify__products') }}

),

stg_cartify__refunds as (

    select
        order_item_id,
        refund_amount,
        refund_reason,
        refunded_at

    from {{ ref('stg_cartify__refunds') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

items_joined as (

    select
        items.order_item_id,
        items.order_id,
        stg_cartify__orders.customer_id,
        stg_cartify__orders.session_id,
        items.product_id,
        stg_cartify__orders.discount_id,
        stg_cartify__orders.distribution_center_id,
        stg_cartify__orders.ordered_at,
        stg_cartify__orders.order_status,
        items.item_status,
        stg_cartify__products.category,
        stg_cartify__products.brand,
        items.quantity,
        items.unit_price,
        items.unit_cost,
        items.gross_amount,
        items.discount_share,
        items.net_amount,
        items.cost_amount,
        items.gross_profit,
        items.shipped_at,
        items.delivered_at,
        items.returned_at,
        stg_cartify__refunds.refund_amount,
        stg_cartify__refunds.refund_reason,
        stg_cartify__refunds.refunded_at

    from int_order_items_discount_allocated as items
    left join stg_cartify__orders
        on items.order_id = stg_cartify__orders.order_id
    left join stg_cartify__products
        on items.product_id = stg_cartify__products.product_id
    left join stg_cartify__refunds
        on items.order_item_id = stg_cartify__refunds.order_item_id

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
        cast(ordered_at as date) as order_date,
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
        coalesce(
            item_status = 'cancelled' or order_status = 'cancelled', false
        ) as is_cancelled,
        coalesce(item_status = 'returned', false) as is_returned,
        shipped_at,
        delivered_at,
        returned_at,
        refund_amount,
        refund_reason,
        refunded_at

    from items_joined

)

select * from final
