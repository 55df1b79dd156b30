-- One row per product: units sold, revenue, cost and gross margin of its
-- items in valid orders, return and refund rates, average rating, and its
-- stock position (stock on hand, reorder point, low-stock flag).

with

stg_cartify__products as (

    select
        product_id,
        product_name,
        brand,
        category,
        retail_price,
        unit_cost,
        distribution_center_id

    from {{ ref('stg_cartify__products') }}

),

stg_cartify__inventory as (

    select
        product_id,
        stock_on_hand,
        reorder_point

    from {{ ref('stg_cartify__inventory') }}

),

int_products_sales_aggregated as (

    select
        product_id,
        order_items,
        units_sold,
        units_returned,
        revenue,
        cost,
        gross_profit,
        refunds,
        reviews,
        rating_total

    from {{ ref('int_products_sales_aggregated') }}

),

products_joined as (

    select
        stg_cartify__products.*,
        int_products_sales_aggregated.order_items,
        int_products_sales_aggregated.units_sold,
        int_products_sales_aggregated.units_returned,
        int_products_sales_aggregated.revenue,
        int_products_sales_aggregated.cost,
        int_products_sales_aggregated.gross_profit,
        int_products_sales_aggregated.refunds,
        int_products_sales_aggregated.reviews,
        int_products_sales_aggregated.rating_total,
        stg_cartify__inventory.stock_on_hand,
        stg_cartify__inventory.reorder_point

    from stg_cartify__products
    inner join int_products_sales_aggregated
        on stg_cartify__products.product_id
            = int_products_sales_aggregated.product_id
    left join stg_cartify__inventory
        on stg_cartify__products.product_id = stg_cartify__inventory.product_id

),

final as (

    select
        product_id,
        product_name,
        brand,
        category,
        distribution_center_id,
        cast(retail_price as decimal(18, 2)) as retail_price,
        cast(unit_cost as decimal(18, 2)) as unit_cost,
        cast(order_items as {{ dbt.type_bigint() }}) as order_items,
        cast(units_sold as {{ dbt.type_bigint() }}) as units_sold,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(cost as decimal(18, 2)) as cost,
        cast(gross_profit as decimal(18, 2)) as gross_profit,
        {{ safe_divide('gross_profit', 'revenue') }} as gross_margin,
        cast(units_returned as {{ dbt.type_bigint() }}) as units_returned,
        {{ safe_divide('units_returned', 'units_sold') }} as return_rate,
        cast(refunds as decimal(18, 2)) as refunds,
        {{ safe_divide('refunds', 'revenue') }} as refund_rate,
        cast(reviews as {{ dbt.type_bigint() }}) as reviews,
        {{ safe_divide('rating_total', 'reviews') }} as average_rating,
        cast(stock_on_hand as {{ dbt.type_bigint() }}) as stock_on_hand,
        cast(reorder_point as {{ dbt.type_bigint() }}) as reorder_point,
        stock_on_hand <= reorder_point as is_low_stock

    from products_joined

)

select * from final
