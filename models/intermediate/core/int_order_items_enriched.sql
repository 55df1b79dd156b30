{#- Incremental, not the intermediate default view: items are event-sized,
    the discount allocation is a window over every item, and
    fct_order_items, int_orders_attributed and the product models all read
    it. A run recomputes every item of the orders that changed in the
    lookback window (macro changed_order_ids: the order, an item, a refund,
    the payment or a product of it), whole orders because the allocation
    spans the order, and upserts them by order_item_id. docs/decisions.md.
    The payments are read only to find changed orders. -#}
{{ config(materialized='incremental', unique_key='order_item_id') }}
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
stg_cartify__order_items as (

    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        unit_cost,
        item_status,
        shipped_at,
        delivered_at,
        returned_at

    from {{ ref('stg_cartify__order_items') }}
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
        distribution_center_id,
        discount_amount

    from {{ ref('stg_cartify__orders') }}
    {%- if is_incremental() %}
    where order_id in (select order_id from orders_to_refresh)
    {%- endif %}

),

stg_cartify__products as (

    select
        product_id,
        product_name,
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
        stg_cartify__order_items.order_item_id,
        stg_cartify__order_items.order_id,
        stg_cartify__orders.customer_id,
        stg_cartify__orders.session_id,
        stg_cartify__orders.ordered_at,
        stg_cartify__orders.order_status,
        stg_cartify__orders.discount_id,
        stg_cartify__orders.distribution_center_id,
        coalesce(stg_cartify__orders.discount_amount, 0)
            as order_discount_amount,
        stg_cartify__order_items.product_id,
        stg_cartify__products.product_name,
        stg_cartify__products.category,
        stg_cartify__products.brand,
        stg_cartify__order_items.item_status,
        stg_cartify__order_items.quantity,
        stg_cartify__order_items.unit_price,
        stg_cartify__order_items.unit_cost,
        stg_cartify__order_items.quantity
        * stg_cartify__order_items.unit_price as gross_amount,
        stg_cartify__order_items.quantity
        * stg_cartify__order_items.unit_cost as cost_amount,
        stg_cartify__order_items.shipped_at,
        stg_cartify__order_items.delivered_at,
        stg_cartify__order_items.returned_at,
        stg_cartify__refunds.refund_amount,
        stg_cartify__refunds.refund_reason,
        stg_cartify__refunds.refunded_at

    from stg_cartify__order_items
    left join stg_cartify__orders
        on stg_cartify__order_items.order_id = stg_cartify__orders.order_id
    left join stg_cartify__products
        on stg_cartify__order_items.product_id
        = stg_cartify__products.product_id
    left join stg_cartify__refunds
        on stg_cartify__order_items.order_item_id
        = stg_cartify__refunds.order_item_id

),

gross_accumulated as (

    select
        *,
        sum(gross_amount) over (
            partition by order_id
        ) as order_gross_amount,
        count(*) over (
            partition by order_id
        ) as order_item_count,
        sum(gross_amount) over (
            partition by order_id
            order by order_item_id
            rows between unbounded preceding and current row
        ) as cumulative_gross_amount,
        row_number() over (
            partition by order_id
            order by order_item_id
        ) as item_position

    from items_joined

),

-- Discount allocation by cumulative rounding. Items in order_item_id order;
-- the discount allocated to the items up to and including one item is
-- round(discount × cumulative gross / order gross, 2), and exactly the
-- discount at the last item. An item's share is its cumulative allocation
-- minus the previous item's. So every share is pro rata to gross within a
-- penny, and the shares sum exactly to the order's discount_amount (an
-- order whose items are all free gets the whole discount on its last item).
discount_allocated as (

    select
        *,
        cast(
            case
                when item_position = order_item_count
                    then order_discount_amount
                else round(
                    order_discount_amount * coalesce(
                        {{ safe_divide('cumulative_gross_amount',
                                       'order_gross_amount') }},
                        0
                    ),
                    2
                )
            end as decimal(12,2)
        ) as cumulative_discount_amount,
        cast(
            case
                when item_position = 1 then 0
                else round(
                    order_discount_amount * coalesce(
                        {{ safe_divide(
                            'cumulative_gross_amount - gross_amount',
                            'order_gross_amount'
                        ) }},
                        0
                    ),
                    2
                )
            end as decimal(12,2)
        ) as previous_cumulative_discount_amount

    from gross_accumulated

),

discount_shared as (

    select
        *,
        cumulative_discount_amount - previous_cumulative_discount_amount
            as discount_share

    from discount_allocated

),

final as (

    select
        order_item_id,
        order_id,
        customer_id,
        session_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        order_status,
        discount_id,
        distribution_center_id,
        product_id,
        product_name,
        category,
        brand,
        item_status,
        quantity,
        unit_price,
        unit_cost,
        cast(gross_amount as decimal(12,2)) as gross_amount,
        cast(discount_share as decimal(12,2)) as discount_share,
        cast(gross_amount - discount_share as decimal(12,2)) as net_amount,
        cast(cost_amount as decimal(12,2)) as cost_amount,
        cast(
            gross_amount - discount_share - cost_amount as decimal(12,2)
        ) as gross_profit,
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

    from discount_shared

)

select * from final
