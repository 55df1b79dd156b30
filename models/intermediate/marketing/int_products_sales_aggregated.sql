{#- A table, not the intermediate default view: read by product_performance,
    category_performance and tests: as a view each read would redo the
    roll-up of the event-sized fct_order_items. -#}
{{ config(materialized='table') }}

-- One row per product (every product, sold or not): units, revenue, cost and
-- gross profit of its items in valid (not cancelled) orders, the units
-- returned and refunds of those items, and its reviews. Shared by
-- product_performance and category_performance so the category roll-up sums
-- the same figures. (Kept in intermediate/marketing, the folder this team
-- owns; it belongs to the commerce marts.)

with

stg_cartify__products as (

    select
        product_id,
        category

    from {{ ref('stg_cartify__products') }}

),

fct_order_items as (

    select
        product_id,
        quantity,
        net_amount,
        cost_amount,
        gross_profit,
        is_returned,
        refund_amount

    from {{ ref('fct_order_items') }}
    where not is_cancelled

),

stg_cartify__reviews as (

    select
        product_id,
        rating

    from {{ ref('stg_cartify__reviews') }}

),

sales_per_product as (

    select
        product_id,
        count(*) as order_items,
        sum(quantity) as units_sold,
        sum(case when is_returned then quantity else 0 end) as units_returned,
        sum(net_amount) as revenue,
        sum(cost_amount) as cost,
        sum(gross_profit) as gross_profit,
        coalesce(sum(refund_amount), 0) as refunds

    from fct_order_items
    group by product_id

),

reviews_per_product as (

    select
        product_id,
        count(*) as reviews,
        sum(rating) as rating_total

    from stg_cartify__reviews
    group by product_id

),

final as (

    select
        stg_cartify__products.product_id,
        stg_cartify__products.category,
        coalesce(sales_per_product.order_items, 0) as order_items,
        coalesce(sales_per_product.units_sold, 0) as units_sold,
        coalesce(sales_per_product.units_returned, 0) as units_returned,
        coalesce(sales_per_product.revenue, 0) as revenue,
        coalesce(sales_per_product.cost, 0) as cost,
        coalesce(sales_per_product.gross_profit, 0) as gross_profit,
        coalesce(sales_per_product.refunds, 0) as refunds,
        coalesce(reviews_per_product.reviews, 0) as reviews,
        coalesce(reviews_per_product.rating_total, 0) as rating_total

    from stg_cartify__products
    left join sales_per_product
        on stg_cartify__products.product_id = sales_per_product.product_id
    left join reviews_per_product
        on stg_cartify__products.product_id = reviews_per_product.product_id

)

select * from final
