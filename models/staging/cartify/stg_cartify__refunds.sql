with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('refunds') }}

),

final as (

    select
        refund_id,
        order_item_id,
        order_id,
        refund_amount,
        reason as refund_reason,
        refunded_at

    from trusted

)

select * from final
