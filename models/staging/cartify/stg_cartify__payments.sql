with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('payments') }}

),

final as (

    select
        payment_id,
        order_id,
        payment_method,
        amount as payment_amount,
        status as payment_status,
        paid_at

    from trusted

)

select * from final
