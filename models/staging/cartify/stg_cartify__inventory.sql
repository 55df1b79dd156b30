with

source as (

    select * from {{ source('cartify', 'inventory') }}

),

renamed as (

    select
        {{ dbt.safe_cast('product_id', dbt.type_int()) }} as product_id,
        {{ dbt.safe_cast('distribution_center_id', dbt.type_int()) }}
            as distribution_center_id,
        {{ dbt.safe_cast('stock_on_hand', dbt.type_int()) }} as stock_on_hand,
        {{ dbt.safe_cast('reorder_point', dbt.type_int()) }} as reorder_point,
        {{ dbt.safe_cast('updated_at', dbt.type_timestamp()) }} as updated_at

    from source

),

-- One stock row per product: the latest by updated_at; remaining ties break
-- on the other columns so the choice never depends on file order.
ranked as (

    select
        *,
        row_number() over (
            partition by product_id
            order by
                updated_at desc nulls last,
                stock_on_hand desc nulls last,
                reorder_point desc nulls last,
                distribution_center_id desc nulls last
        ) as version_rank

    from renamed
    where product_id is not null

),

final as (

    select
        product_id,
        distribution_center_id,
        stock_on_hand,
        reorder_point,
        updated_at

    from ranked
    where version_rank = 1

)

select * from final
