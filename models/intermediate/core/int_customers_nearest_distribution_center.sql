{#- A table, not the intermediate default view: the customers × centers
    distance scan would otherwise rerun for every test and for each of
    dim_customers, dim_distribution_centers and customer_segmentation. -#}
{{ config(materialized='table') }}

-- One row per customer: the distribution center nearest to the customer's
-- coordinates by great-circle (haversine, radius 6371 km) distance; ties go
-- to the lowest distribution_center_id. Null for a customer without
-- coordinates.

with

stg_cartify__customers as (

    select
        customer_id,
        latitude,
        longitude

    from {{ ref('stg_cartify__customers') }}

),

stg_cartify__distribution_centers as (

    select
        distribution_center_id,
        distribution_center_name,
        latitude,
        longitude

    from {{ ref('stg_cartify__distribution_centers') }}

),

distances as (

    select
        stg_cartify__customers.customer_id,
        stg_cartify__distribution_centers.distribution_center_id,
        stg_cartify__distribution_centers.distribution_center_name,
        {{ haversine_km(
            'stg_cartify__customers.latitude',
            'stg_cartify__customers.longitude',
            'stg_cartify__distribution_centers.latitude',
            'stg_cartify__distribution_centers.longitude'
        ) }} as distance_km

    from stg_cartify__customers
    cross join stg_cartify__distribution_centers

),

distances_ranked as (

    select
        customer_id,
        distribution_center_id,
        distribution_center_name,
        distance_km,
        row_number() over (
            partition by customer_id
            order by distance_km, distribution_center_id
        ) as distance_rank

    from distances
    where distance_km is not null

),

final as (

    select
        stg_cartify__customers.customer_id,
        distances_ranked.distribution_center_id
            as nearest_distribution_center_id,
        distances_ranked.distribution_center_name
            as nearest_distribution_center_name,
        distances_ranked.distance_km
            as distance_to_nearest_distribution_center_km

    from stg_cartify__customers
    left join distances_ranked
        on
            stg_cartify__customers.customer_id = distances_ranked.customer_id
            and distances_ranked.distance_rank = 1

)

select * from final
