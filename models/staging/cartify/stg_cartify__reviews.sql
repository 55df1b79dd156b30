with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('reviews') }}

),

final as (

    select
        review_id,
        order_item_id,
        product_id,
        customer_id,
        rating,
        reviewed_at

    from trusted

)

select * from final
