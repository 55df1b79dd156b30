-- One row per order with at least one item: its items rolled up (lines,
-- units, returned lines and units, net revenue, cost, gross profit) and the
-- refunds of its items. An item counts as returned when its own status is
-- `returned` (as fct_order_items.is_returned). A view: fct_orders selects
-- the orders it recomputes from it. Money sums are decimal(12, 2), the type
-- fct_orders declares: PostgreSQL's sum of a decimal is an unscaled numeric
-- (docs/decisions.md D30).

with

int_order_items_discount_allocated as (

    select
        order_item_id,
        order_id,
        item_status,
        quantity,
        net_amount,
        cost_amount,
        gross_profit

    from {{ ref('int_order_items_discount_allocated') }}

),

stg_cartify__refunds as (

    select
        order_item_id,
        refund_amount

    from {{ ref('stg_cartify__refunds') }}

),

final as (

    select
        items.order_id,
        count(*) as item_count,
        sum(items.quantity) as unit_count,
        sum(case when items.item_status = 'returned' then 1 else 0 end)
            as returned_item_count,
        sum(
            case
                when items.item_status = 'returned' then items.quantity
                else 0
            end
        ) as returned_unit_count,
        cast(sum(items.net_amount) as decimal(12, 2)) as net_revenue,
        cast(sum(items.cost_amount) as decimal(12, 2)) as cost_amount,
        cast(sum(items.gross_profit) as decimal(12, 2)) as gross_profit,
        cast(
            coalesce(sum(stg_cartify__refunds.refund_amount), 0)
            as decimal(12, 2)
        ) as refund_amount

    from int_order_items_discount_allocated as items
    left join stg_cartify__refunds
        on items.order_item_id = stg_cartify__refunds.order_item_id
    group by items.order_id

)

select * from final
