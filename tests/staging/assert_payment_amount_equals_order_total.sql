-- Every order has its one payment, for exactly the order's total_amount, and
-- only cancelled orders have voided payments.

with

stg_cartify__orders as (

    select
        order_id,
        order_status,
        total_amount

    from {{ ref('stg_cartify__orders') }}

),

stg_cartify__payments as (

    select
        order_id,
        payment_amount,
        payment_status

    from {{ ref('stg_cartify__payments') }}

),

final as (

    select
        stg_cartify__orders.order_id,
        stg_cartify__orders.order_status,
        stg_cartify__orders.total_amount,
        stg_cartify__payments.payment_amount,
        stg_cartify__payments.payment_status

    from stg_cartify__orders
    left join stg_cartify__payments
        on stg_cartify__orders.order_id = stg_cartify__payments.order_id
    where
        stg_cartify__payments.order_id is null
        or stg_cartify__payments.payment_amount
        <> stg_cartify__orders.total_amount
        or (stg_cartify__payments.payment_status = 'voided')
        <> (stg_cartify__orders.order_status = 'cancelled')

)

select * from final
