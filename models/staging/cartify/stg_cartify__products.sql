with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('products') }}

),

final as (

    select
        product_id,
        product_name,
        brand,
        category,
        cost as unit_cost,
        retail_price,
        distribution_center_id,
        created_at,
        updated_at

    from trusted

)

select * from final
