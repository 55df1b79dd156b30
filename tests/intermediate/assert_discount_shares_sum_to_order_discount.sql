-- The discount shares of an order's items sum exactly to the order's
-- discount_amount, and no share is more than a penny off its exact pro-rata
-- value.

with

stg_cartify__orders as (

    select
        order_id,
        discount_amount

    from {{ ref('stg_cartify__orders') }}

),

int_order_items_discount_allocated as (

    select
        order_id,
        gross_amount,
        discount_share

    from {{ ref('int_order_items_discount_allocated') }}

),

items_with_order_gross as (

    select
        order_id,
        gross_amount,
        discount_share,
        sum(gross_amount) over (partition by order_id) as order_gross_amount

    from int_order_items_discount_allocated

),

shares_off_pro_rata as (

    select
        items_with_order_gross.order_id,
        'share more than a penny off pro rata' as failure

    from items_with_order_gross
    inner join stg_cartify__orders
        on items_with_order_gross.order_id = stg_cartify__orders.order_id
    where
        items_with_order_gross.order_gross_amount > 0
        and abs(
            items_with_order_gross.discount_share
            - stg_cartify__orders.discount_amount
            * {{ safe_divide('items_with_order_gross.gross_amount',
                             'items_with_order_gross.order_gross_amount') }}
        ) >= 0.01

),

shares_summed as (

    select
        order_id,
        sum(discount_share) as discount_share_total

    from int_order_items_discount_allocated
    group by order_id

),

sums_off as (

    select
        stg_cartify__orders.order_id,
        'shares do not sum to the discount' as failure

    from stg_cartify__orders
    inner join shares_summed
        on stg_cartify__orders.order_id = shares_summed.order_id
    where shares_summed.discount_share_total
        <> stg_cartify__orders.discount_amount

),

final as (

    select * from shares_off_pro_rata
    union all
    select * from sums_off

)

select * from final
