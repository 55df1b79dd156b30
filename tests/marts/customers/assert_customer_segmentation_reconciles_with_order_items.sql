-- The customers' totals add up to the order items they come from: lifetime
-- orders, units and revenue summed over customer_segmentation equal the same
-- figures taken straight from fct_order_items (not cancelled,
-- ordered on or before as_of_date; revenue of items not returned by then).
-- Catches items lost or counted twice between the layers (an order whose
-- customer is missing, a fan-out join). Returns a row per figure that differs
-- by more than rounding (money is rounded to pennies per customer).

with

fct_order_items as (

    select
        order_id,
        order_date,
        quantity,
        net_amount,
        is_cancelled,
        is_returned,
        returned_at

    from {{ ref('fct_order_items') }}

),

int_as_of_date as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

customer_segmentation as (

    select
        lifetime_orders,
        lifetime_revenue

    from {{ ref('customer_segmentation') }}

),

items_totals as (

    select
        count(distinct fct_order_items.order_id) as lifetime_orders,
        sum(
            case
                when
                    fct_order_items.is_returned
                    and (
                        fct_order_items.returned_at is null
                        or cast(fct_order_items.returned_at as date)
                        <= int_as_of_date.as_of_date
                    )
                    then 0
                else fct_order_items.net_amount
            end
        ) as lifetime_revenue

    from fct_order_items
    cross join int_as_of_date
    where
        not fct_order_items.is_cancelled
        and fct_order_items.order_date <= int_as_of_date.as_of_date

),

mart_totals as (

    select
        sum(lifetime_orders) as lifetime_orders,
        sum(lifetime_revenue) as lifetime_revenue

    from customer_segmentation

),

final as (

    select
        'lifetime_orders' as figure,
        cast(items_totals.lifetime_orders as decimal(18,2)) as from_items,
        cast(mart_totals.lifetime_orders as decimal(18,2)) as from_mart

    from items_totals
    cross join mart_totals
    where items_totals.lifetime_orders <> mart_totals.lifetime_orders

    union all

    select
        'lifetime_revenue' as figure,
        cast(items_totals.lifetime_revenue as decimal(18,2)) as from_items,
        cast(mart_totals.lifetime_revenue as decimal(18,2)) as from_mart

    from items_totals
    cross join mart_totals
    where
        abs(
            coalesce(items_totals.lifetime_revenue, 0)
            - coalesce(mart_totals.lifetime_revenue, 0)
        ) > 0.005

)

select * from final
