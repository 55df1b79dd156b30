with

source as (

    select * from {{ source('cartify', 'discounts') }}

),

renamed as (

    select
        {{ cartify_parse('discount_id', 'int', dbt.type_int()) }}
            as discount_id,
        nullif(trim(discount_code), '') as discount_code,
        lower(nullif(trim(discount_type), '')) as discount_type,
        {{ cartify_parse('discount_value', 'money', 'decimal(12,2)') }}
            as discount_value,
        {{ cartify_parse('campaign_id', 'int', dbt.type_int()) }}
            as campaign_id,
        {{ cartify_parse('valid_from', 'date', 'date') }} as valid_from,
        {{ cartify_parse('valid_to', 'date', 'date') }} as valid_to,
        {{ cartify_parse('created_at', 'timestamp', dbt.type_timestamp()) }}
            as created_at

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
