-- One row per product: catalogue attributes, the distribution center that
-- stocks it, and its inventory at the end of the period.

with

stg_cartify__products as (

    select
        product_id,
        product_name,
        brand,
        category,
        unit_cost,
        retail_price,
        distribution_center_id,
        created_at,
        updated_at

    from {{ ref('stg_cartify__products') }}

),

stg_cartify__inventory as (

    select
        product_id,
        stock_on_hand,
        reorder_point

    from {{ ref('stg_cartify__inventory') }}

),

stg_cartify__distribution_centers as (

    select
        distribution_center_id,
        distribution_center_name

    from {{ ref('stg_cartify__distribution_centers') }}

),

final as (

    select
        stg_cartify__products.product_id,
        stg_cartify__products.product_name,
        stg_cartify__products.brand,
        stg_cartify__products.category,
        stg_cartify__products.unit_cost,
        stg_cartify__products.retail_price,
        cast(
            stg_cartify__products.retail_price
            - stg_cartify__products.unit_cost
            as decimal(12, 2)
        ) as unit_margin_amount,
        stg_cartify__products.distribution_center_id,
        stg_cartify__distribution_centers.distribution_center_name,
        stg_cartify__inventory.stock_on_hand,
        stg_cartify__inventory.reorder_point,
        coalesce(
            stg_cartify__inventory.stock_on_hand
            <= stg_cartify__inventory.reorder_point,
            false
        ) as is_at_or_below_reorder_point,
        stg_cartify__products.created_at,
        stg_cartify__products.updated_at

    from stg_cartify__products
    left join stg_cartify__inventory
        on stg_cartify__products.product_id = stg_cartify__inventory.product_id
    left join stg_cartify__distribution_centers
        on
            stg_cartify__products.distribution_center_id
            = stg_cartify__distribution_centers.distribution_center_id

)

select * from final
