with

source as (

    select * from {{ source('cartify', 'refunds') }}

),

renamed as (

    select
        {{ dbt.safe_cast('refund_id', dbt.type_int()) }} as refund_id,
        {{ dbt.safe_cast('order_item_id', dbt.type_int()) }} as order_item_id,
        {{ dbt.safe_cast('order_id', dbt.type_int()) }} as order_id,
        {{ dbt.safe_cast('refund_amount', 'decimal(12,2)') }} as refund_amount,
        lower(nullif(trim(reason), '')) as refund_reason,
        {{ dbt.safe_cast('refunded_at', dbt.type_timestamp()) }}
            as refunded_at

    from source

),

-- One row per refund: no updated_at, so the latest refunded_at wins and
-- remaining ties break on the other columns (never on file order).
ranked as (

    select
        *,
        row_number() over (
            partition by refund_id
            order by
                refunded_at desc nulls last,
                refund_amount desc nulls last,
                refund_reason desc nulls last,
                order_item_id desc nulls last
        ) as version_rank

    from renamed
    where refund_id is not null

),

final as (

    select
        refund_id,
        order_item_id,
        order_id,
        refund_amount,
        refund_reason,
        refunded_at

    from ranked
    where version_rank = 1

)

select * from final
