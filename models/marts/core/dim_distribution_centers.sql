-- One row per distribution center, with the products it stocks and the
-- customers it is nearest to.

with

stg_cartify__distribution_centers as (

    select
        distribution_center_id,
        distribution_center_name,
        city,
        country,
        country_code,
        latitude,
        longitude

    from {{ ref('stg_cartify__distribution_centers') }}

),

stg_cartify__inventory as (

    select
        distribution_center_id,
        product_id,
        stock_on_hand,
        reorder_point

    from {{ ref('stg_cartify__inventory') }}

),

int_customers_nearest_distribution_center as (

    select
        customer_id,
        nearest_distribution_center_id

    from {{ ref('int_customers_nearest_distribution_center') }}

),

stock_per_center as (

    select
        distribution_center_id,
        count(*) as product_count,
        sum(stock_on_hand) as stock_on_hand_units,
        sum(case when stock_on_hand <= reorder_point then 1 else 0 end)
            as products_at_or_below_reorder_point

    from stg_cartify__inventory
    group by distribution_center_id

),

customers_per_center as (

    select
        nearest_distribution_center_id as distribution_center_id,
        count(*) as nearest_customer_count

    from int_customers_nearest_distribution_center
    where nearest_distribution_center_id is not null
    group by nearest_distribution_center_id

),

final as (

    select
        stg_cartify__distribution_centers.distribution_center_id,
        stg_cartify__distribution_centers.distribution_center_name,
        stg_cartify__distribution_centers.city,
        stg_cartify__distribution_centers.country,
        stg_cartify__distribution_centers.country_code,
        stg_cartify__distribution_centers.latitude,
        stg_cartify__distribution_centers.longitude,
        cast(
            coalesce(stock_per_center.product_count, 0)
            as {{ dbt.type_int() }}
        ) as product_count,
        cast(
            coalesce(stock_per_center.stock_on_hand_units, 0)
            as {{ dbt.type_bigint() }}
        ) as stock_on_hand_units,
        cast(
            coalesce(stock_per_center.products_at_or_below_reorder_point, 0)
            as {{ dbt.type_int() }}
        ) as products_at_or_below_reorder_point,
        cast(
            coalesce(customers_per_center.nearest_customer_count, 0)
            as {{ dbt.type_int() }}
        ) as nearest_customer_count

    from stg_cartify__distribution_centers
    left join stock_per_center
        on
            stg_cartify__distribution_centers.distribution_center_id
            = stock_per_center.distribution_center_id
    left join customers_per_center
        on
            stg_cartify__distribution_centers.distribution_center_id
            = customers_per_center.distribution_center_id

)

select * from final
