with

source as (

    select * from {{ source('cartify', 'customers') }}

),

renamed as (

    select
        {{ dbt.safe_cast('customer_id', dbt.type_int()) }} as customer_id,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        lower(nullif(trim(email), '')) as email,
        lower(nullif(trim(gender), '')) as gender,
        {{ dbt.safe_cast('birth_date', 'date') }} as birth_date,
        nullif(trim(street_address), '') as street_address,
        nullif(trim(postal_code), '') as postal_code,
        nullif(trim(city), '') as city,
        nullif(trim(state), '') as state,
        nullif(trim(country), '') as country,
        upper(nullif(trim(country_code), '')) as country_code,
        {{ dbt.safe_cast('latitude', 'decimal(9,6)') }} as latitude,
        {{ dbt.safe_cast('longitude', 'decimal(9,6)') }} as longitude,
        lower(nullif(trim(acquisition_channel), '')) as acquisition_channel,
        {{ dbt.safe_cast('signed_up_at', dbt.type_timestamp()) }}
            as signed_up_at,
        {{ dbt.safe_cast('updated_at', dbt.type_timestamp()) }} as updated_at

    from source

),

-- Keep one row per customer: the latest version by updated_at; exact
-- duplicates collapse to one row, remaining ties break on the other columns
-- so the choice never depends on file order.
ranked as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by
                updated_at desc nulls last,
                signed_up_at desc nulls last,
                email desc nulls last
        ) as version_rank

    from renamed
    where customer_id is not null

),

final as (

    select
        customer_id,
        first_name,
        last_name,
        email,
        gender,
        birth_date,
        street_address,
        postal_code,
        city,
        state,
        country,
        country_code,
        latitude,
        longitude,
        acquisition_channel,
        signed_up_at,
        updated_at

    from ranked
    where version_rank = 1

)

select * from final
