with

source as (

    select * from {{ source('cartify', 'reviews') }}

),

renamed as (

    select
        {{ cartify_parse('review_id', 'int', dbt.type_int()) }} as review_id,
        {{ cartify_parse('order_item_id', 'int', dbt.type_int()) }}
            as order_item_id,
        {{ cartify_parse('product_id', 'int', dbt.type_int()) }} as product_id,
        {{ cartify_parse('customer_id', 'int', dbt.type_int()) }}
            as customer_id,
        {{ cartify_parse('rating', 'int', dbt.type_int()) }} as rating,
        {{ cartify_parse('reviewed_at', 'timestamp', dbt.type_timestamp()) }}
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
