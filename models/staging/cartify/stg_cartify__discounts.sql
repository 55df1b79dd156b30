with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('discounts') }}

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

    from trusted

)

select * from final
