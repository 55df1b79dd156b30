-- One row per product category: its products' units sold, revenue, cost,
-- gross profit and margin, return and refund rates, average rating and
-- low-stock count (category profitability), summed from the same per-product
-- figures as product_performance.

with

int_products_sales_aggregated as (

    select
        product_id,
        category,
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

stg_cartify__inventory as (

    select
        product_id,
        stock_on_hand,
        reorder_point

    from {{ ref('stg_cartify__inventory') }}

),

products_joined_to_inventory as (

    select
        int_products_sales_aggregated.*,
        stg_cartify__inventory.stock_on_hand,
        case
            when stg_cartify__inventory.stock_on_hand
                <= stg_cartify__inventory.reorder_point
                then 1
            else 0
        end as is_low_stock_product

    from int_products_sales_aggregated
    left join stg_cartify__inventory
        on int_products_sales_aggregated.product_id
            = stg_cartify__inventory.product_id

),

categories_summed as (

    select
        category,
        count(*) as products,
        sum(units_sold) as units_sold,
        sum(units_returned) as units_returned,
        sum(revenue) as revenue,
        sum(cost) as cost,
        sum(gross_profit) as gross_profit,
        sum(refunds) as refunds,
        sum(reviews) as reviews,
        sum(rating_total) as rating_total,
        sum(stock_on_hand) as stock_on_hand,
        sum(is_low_stock_product) as low_stock_products

    from products_joined_to_inventory
    group by category

),

final as (

    select
        category,
        cast(products as {{ dbt.type_bigint() }}) as products,
        cast(units_sold as {{ dbt.type_bigint() }}) as units_sold,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(cost as decimal(18, 2)) as cost,
        cast(gross_profit as decimal(18, 2)) as gross_profit,
        {{ safe_divide('gross_profit', 'revenue') }} as gross_margin,
        {{ safe_divide('revenue', 'sum(revenue) over ()') }}
            as revenue_share,
        cast(units_returned as {{ dbt.type_bigint() }}) as units_returned,
        {{ safe_divide('units_returned', 'units_sold') }} as return_rate,
        cast(refunds as decimal(18, 2)) as refunds,
        {{ safe_divide('refunds', 'revenue') }} as refund_rate,
        cast(reviews as {{ dbt.type_bigint() }}) as reviews,
        {{ safe_divide('rating_total', 'reviews') }} as average_rating,
        cast(stock_on_hand as {{ dbt.type_bigint() }}) as stock_on_hand,
        cast(low_stock_products as {{ dbt.type_bigint() }})
            as low_stock_products

    from categories_summed

)

select * from final
