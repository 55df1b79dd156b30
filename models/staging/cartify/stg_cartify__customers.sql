with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('customers') }}

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

    from trusted

)

select * from final
