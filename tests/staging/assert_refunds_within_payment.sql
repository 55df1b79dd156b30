-- Refunds go to returned items of their own order, and an order's refunds
-- never exceed what was paid for it.

with

stg_cartify__refunds as (

    select
        refund_id,
        order_item_id,
        order_id,
        refund_amount

    from {{ ref('stg_cartify__refunds') }}

),

stg_cartify__order_items as (

    select
        order_item_id,
        order_id,
        item_status

    from {{ ref('stg_cartify__order_items') }}

),

stg_cartify__payments as (

    select
        order_id,
        payment_amount

    from {{ ref('stg_cartify__payments') }}

),

refunds_on_wrong_items as (

    select
        stg_cartify__refunds.order_id,
        'refund not on a returned item of its order' as failure

    from stg_cartify__refunds
    left join stg_cartify__order_items
        on
            stg_cartify__refunds.order_item_id
            = stg_cartify__order_items.order_item_id
    where
        stg_cartify__order_items.order_item_id is null
        or stg_cartify__order_items.order_id <> stg_cartify__refunds.order_id
        or stg_cartify__order_items.item_status <> 'returned'

),

refunds_per_order as (

    select
        order_id,
        sum(refund_amount) as refund_amount

    from stg_cartify__refunds
    group by order_id

),

refunds_over_payment as (

    select
        refunds_per_order.order_id,
        'refunds exceed the payment' as failure

    from refunds_per_order
    left join stg_cartify__payments
        on refunds_per_order.order_id = stg_cartify__payments.order_id
    where
        stg_cartify__payments.order_id is null
        or refunds_per_order.refund_amount
        > stg_cartify__payments.payment_amount

),

final as (

    select * from refunds_on_wrong_items
    union all
    select * from refunds_over_payment

)

select * from final
