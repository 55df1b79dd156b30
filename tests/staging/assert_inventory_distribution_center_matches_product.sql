-- A product's stock row is held at the product's own distribution center.

with

stg_cartify__inventory as (

    select
        product_id,
        distribution_center_id

    from {{ ref('stg_cartify__inventory') }}

),

stg_cartify__products as (

    select
        product_id,
        distribution_center_id

    from {{ ref('stg_cartify__products') }}

),

final as (

    select
        stg_cartify__inventory.product_id,
        stg_cartify__inventory.distribution_center_id
            as inventory_distribution_center_id,
        stg_cartify__products.distribution_center_id
            as product_distribution_center_id

    from stg_cartify__inventory
    inner join stg_cartify__products
        on
            stg_cartify__inventory.product_id
            = stg_cartify__products.product_id
    where
        stg_cartify__inventory.distribution_center_id
        <> stg_cartify__products.distribution_center_id

)

select * from final
