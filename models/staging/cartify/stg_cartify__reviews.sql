with

source as (

    select * from {{ source('cartify', 'reviews') }}

),

renamed as (

    select
        {{ dbt.safe_cast('review_id', dbt.type_int()) }} as review_id,
        {{ dbt.safe_cast('order_item_id', dbt.type_int()) }} as order_item_id,
        {{ dbt.safe_cast('product_id', dbt.type_int()) }} as product_id,
        {{ dbt.safe_cast('customer_id', dbt.type_int()) }} as customer_id,
        {{ dbt.safe_cast('rating', dbt.type_int()) }} as rating,
        {{ dbt.safe_cast('reviewed_at', dbt.type_timestamp()) }}
            as reviewed_at

    from source

),

-- One row per review: no updated_at, so the latest reviewed_at wins and
-- remaining ties break on the other columns (never on file order).
ranked as (

    select
        *,
        row_number() over (
            partition by review_id
            order by
                reviewed_at desc nulls last,
                rating desc nulls last,
                order_item_id desc nulls last
        ) as version_rank

    from renamed
    where review_id is not null

),

final as (

    select
        review_id,
        order_item_id,
        product_id,
        customer_id,
        rating,
        reviewed_at

    from ranked
    where version_rank = 1

)

select * from final
