{#- Every trusted order, in its latest state (processing -> shipped ->
    delivered -> returned, with a later updated_at), renamed to the staging
    contract. A view over its base table, like all staging
    (docs/decisions.md D81). -#}

with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('orders') }}

),

final as (

    select
        order_id,
        customer_id,
        session_id,
        distribution_center_id,
        discount_id,
        status as order_status,
        ordered_at,
        shipped_at,
        delivered_at,
        subtotal as subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        updated_at

    from trusted

)

select * from final
