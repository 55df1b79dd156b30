with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('inventory') }}

),

final as (

    select
        product_id,
        distribution_center_id,
        stock_on_hand,
        reorder_point,
        updated_at

    from trusted

)

select * from final
