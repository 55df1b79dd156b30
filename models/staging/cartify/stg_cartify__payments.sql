with

source as (

    select * from {{ source('cartify', 'payments') }}

),

renamed as (

    select
        {{ dbt.safe_cast('payment_id', dbt.type_int()) }} as payment_id,
        {{ dbt.safe_cast('order_id', dbt.type_int()) }} as order_id,
        lower(nullif(trim(payment_method), '')) as payment_method,
        {{ dbt.safe_cast('amount', 'decimal(12,2)') }} as payment_amount,
        lower(nullif(trim(status), '')) as payment_status,
        {{ dbt.safe_cast('paid_at', dbt.type_timestamp()) }} as paid_at

    from source

),

-- One row per payment: no updated_at, so the latest paid_at wins and
-- remaining ties break on the other columns (never on file order).
ranked as (

    select
        *,
        row_number() over (
            partition by payment_id
            order by
                paid_at desc nulls last,
                payment_status desc nulls last,
                payment_amount desc nulls last,
                payment_method desc nulls last,
                order_id desc nulls last
        ) as version_rank

    from renamed
    where payment_id is not null

),

final as (

    select
        payment_id,
        order_id,
        payment_method,
        payment_amount,
        payment_status,
        paid_at

    from ranked
    where version_rank = 1

)

select * from final
