with

source as (

    select * from {{ source('cartify', 'products') }}

),

renamed as (

    select
        {{ dbt.safe_cast('product_id', dbt.type_int()) }} as product_id,
        nullif(trim(product_name), '') as product_name,
        nullif(trim(brand), '') as brand,
        -- a display label (`Home & Kitchen`), kept in its published case
        nullif(trim(category), '') as category,
        {{ dbt.safe_cast('cost', 'decimal(12,2)') }} as unit_cost,
        {{ dbt.safe_cast('retail_price', 'decimal(12,2)') }} as retail_price,
        {{ dbt.safe_cast('distribution_center_id', dbt.type_int()) }}
            as distribution_center_id,
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('updated_at', dbt.type_timestamp()) }} as updated_at

    from source

),

-- One row per product: the latest version by updated_at; remaining ties
-- break on the other columns so the choice never depends on file order.
ranked as (

    select
        *,
        row_number() over (
            partition by product_id
            order by
                updated_at desc nulls last,
                created_at desc nulls last,
                retail_price desc nulls last,
                product_name desc nulls last
        ) as version_rank

    from renamed
    where product_id is not null

),

final as (

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

    from ranked
    where version_rank = 1

)

select * from final
