-- Item-level and order-level figures agree: Σ product_performance =
-- Σ category_performance = Σ fct_orders (valid orders) for
-- revenue, gross profit and refunds, and units sold = Σ unit_count. Fails if
-- an item were cancelled inside a valid order (the item-level marts drop it,
-- the order's net_revenue keeps it), which the counting rules do not allow.

with

product_performance as (

    select
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(gross_profit), 0) as gross_profit,
        coalesce(sum(refunds), 0) as refunds,
        coalesce(sum(units_sold), 0) as units

    from {{ ref('product_performance') }}

),

category_performance as (

    select
        coalesce(sum(revenue), 0) as revenue,
        coalesce(sum(gross_profit), 0) as gross_profit,
        coalesce(sum(refunds), 0) as refunds,
        coalesce(sum(units_sold), 0) as units

    from {{ ref('category_performance') }}

),

fct_orders as (

    select
        coalesce(sum(net_revenue), 0) as revenue,
        coalesce(sum(gross_profit), 0) as gross_profit,
        coalesce(sum(refund_amount), 0) as refunds,
        coalesce(sum(unit_count), 0) as units

    from {{ ref('fct_orders') }}
    where not is_cancelled

),

compared as (

    select 'product' as mart, * from product_performance
    union all
    select 'category' as mart, * from category_performance

),

final as (

    select
        compared.mart,
        compared.revenue,
        fct_orders.revenue as order_revenue,
        compared.gross_profit,
        fct_orders.gross_profit as order_gross_profit,
        compared.refunds,
        fct_orders.refunds as order_refunds,
        compared.units,
        fct_orders.units as order_units

    from compared
    cross join fct_orders
    where compared.revenue <> fct_orders.revenue
        or compared.gross_profit <> fct_orders.gross_profit
        or compared.refunds <> fct_orders.refunds
        or compared.units <> fct_orders.units

)

select * from final
