{#- Every trusted order item, in its latest state, renamed to the staging
    contract. A view over its base table, like all staging
    (docs/decisions.md D81). -#}

with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('order_items') }}

),

final as (

    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        unit_cost,
        status as item_status,
        shipped_at,
        delivered_at,
        returned_at,
        updated_at

    from trusted

)

select * from final
