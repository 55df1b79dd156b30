-- One row per order item: its units and prices, and its money after its
-- share of the order discount (gross, discount share, net, cost, gross
-- profit). The discount allocation lives here only; fct_order_items and
-- fct_orders read it. A view: both select the orders they need from it (the
-- allocation is a window over an order's items, so whole orders).

with

stg_cartify__order_items as (

    select
        order_item_id,
        order_id,
        product_id,
        item_status,
        quantity,
        unit_price,
        unit_cost,
        shipped_at,
        delivered_at,
        returned_at

    from {{ ref('stg_cartify__order_items') }}

),

stg_cartify__orders as (

    select
        order_id,
        discount_amount

    from {{ ref('stg_cartify__orders') }}

),

items_joined as (

    select
        stg_cartify__order_items.*,
        coalesce(stg_cartify__orders.discount_amount, 0)
            as order_discount_amount,
        stg_cartify__order_items.quantity
        * stg_cartify__order_items.unit_price as gross_amount,
        stg_cartify__order_items.quantity
        * stg_cartify__order_items.unit_cost as cost_amount

    from stg_cartify__order_items
    left join stg_cartify__orders
        on stg_cartify__order_items.order_id = stg_cartify__orders.order_id

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
                else {{ round_number(
                    'order_discount_amount * coalesce('
                    ~ safe_divide('cumulative_gross_amount',
                                  'order_gross_amount')
                    ~ ', 0)',
                    2
                ) }}
            end as decimal(12, 2)
        ) as cumulative_discount_amount,
        cast(
            case
                when item_position = 1 then 0
                else {{ round_number(
                    'order_discount_amount * coalesce('
                    ~ safe_divide('cumulative_gross_amount - gross_amount',
                                  'order_gross_amount')
                    ~ ', 0)',
                    2
                ) }}
            end as decimal(12, 2)
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
        product_id,
        item_status,
        quantity,
        unit_price,
        unit_cost,
        cast(gross_amount as decimal(12, 2)) as gross_amount,
        cast(discount_share as decimal(12, 2)) as discount_share,
        cast(gross_amount - discount_share as decimal(12, 2)) as net_amount,
        cast(cost_amount as decimal(12, 2)) as cost_amount,
        cast(
            gross_amount - discount_share - cost_amount as decimal(12, 2)
        ) as gross_profit,
        shipped_at,
        delivered_at,
        returned_at

    from discount_shared

)

select * from final
