-- The current version (dbt_valid_to null) of every snapshot row is the staged
-- state: each staged customer and product has exactly one current version,
-- with the staged updated_at, and no current version lacks a staged row.
-- (A snapshot built before the latest staging run would fail this: build
-- them together, as `dbt build` does.)

with

stg_cartify__customers as (

    select customer_id as entity_id, updated_at
    from {{ ref('stg_cartify__customers') }}

),

customers_snapshot as (

    select customer_id as entity_id, updated_at
    from {{ ref('customers_snapshot') }}
    where dbt_valid_to is null

),

stg_cartify__products as (

    select product_id as entity_id, updated_at
    from {{ ref('stg_cartify__products') }}

),

products_snapshot as (

    select product_id as entity_id, updated_at
    from {{ ref('products_snapshot') }}
    where dbt_valid_to is null

),

customers_compared as (

    select
        'customers' as entity,
        coalesce(
            stg_cartify__customers.entity_id, customers_snapshot.entity_id
        ) as entity_id,
        stg_cartify__customers.updated_at as staged_updated_at,
        customers_snapshot.updated_at as current_version_updated_at

    from stg_cartify__customers
    full outer join customers_snapshot
        on stg_cartify__customers.entity_id = customers_snapshot.entity_id

),

products_compared as (

    select
        'products' as entity,
        coalesce(
            stg_cartify__products.entity_id, products_snapshot.entity_id
        ) as entity_id,
        stg_cartify__products.updated_at as staged_updated_at,
        products_snapshot.updated_at as current_version_updated_at

    from stg_cartify__products
    full outer join products_snapshot
        on stg_cartify__products.entity_id = products_snapshot.entity_id

),

final as (

    select * from customers_compared
    union all
    select * from products_compared

)

select *
from final
where
    staged_updated_at is null
    or current_version_updated_at is null
    or staged_updated_at <> current_version_updated_at
