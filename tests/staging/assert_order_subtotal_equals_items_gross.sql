-- An order's subtotal is the sum of quantity × unit_price of its items.

with

stg_cartify__orders as (

    select
        order_id,
        subtotal_amount

    from {{ ref('stg_cartify__orders') }}

),

stg_cartify__order_items as (

    select
        order_id,
        quantity,
        unit_price

    from {{ ref('stg_cartify__order_items') }}

),

items_summed as (

    select
        order_id,
        sum(quantity * unit_price) as items_gross_amount

    from stg_cartify__order_items
    group by order_id

),

final as (

    select
        stg_cartify__orders.order_id,
        stg_cartify__orders.subtotal_amount,
        items_summed.items_gross_amount

    from stg_cartify__orders
    left join items_summed
        on stg_cartify__orders.order_id = items_summed.order_id
    where
        items_summed.items_gross_amount is null
        or stg_cartify__orders.subtotal_amount
        <> items_summed.items_gross_amount

)

select * from final
