with

source as (

    select * from {{ source('cartify', 'discounts') }}

),

renamed as (

    select
        {{ dbt.safe_cast('discount_id', dbt.type_int()) }} as discount_id,
        nullif(trim(discount_code), '') as discount_code,
        lower(nullif(trim(discount_type), '')) as discount_type,
        {{ dbt.safe_cast('discount_value', 'decimal(12,2)') }}
            as discount_value,
        {{ dbt.safe_cast('campaign_id', dbt.type_int()) }} as campaign_id,
        {{ dbt.safe_cast('valid_from', 'date') }} as valid_from,
        {{ dbt.safe_cast('valid_to', 'date') }} as valid_to,
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at

    from source

),

-- One row per discount: no updated_at, so the latest created_at wins and
-- remaining ties break on the other columns (never on file order).
ranked as (

    select
        *,
        row_number() over (
            partition by discount_id
            order by
                created_at desc nulls last,
                valid_to desc nulls last,
                discount_code desc nulls last,
                discount_value desc nulls last
        ) as version_rank

    from renamed
    where discount_id is not null

),

final as (

    select
        discount_id,
        discount_code,
        discount_type,
        discount_value,
        campaign_id,
        valid_from,
        valid_to,
        created_at

    from ranked
    where version_rank = 1

)

select * from final
