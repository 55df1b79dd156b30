{#- Incremental, not the staging default table: items are event-sized and
    change status with a later updated_at. A run
    upserts only the items updated in the lookback window (var
    incremental_lookback_days): new, late and changed items, of the rows
    the checks trust (base models: docs/decisions.md D65, D69). -#}
{{ config(
    materialized='incremental',
    unique_key='order_item_id',
    post_hook="{{ cartify_delete_untrusted('order_items', 'order_item_id') }}",
) }}

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
    {%- if is_incremental() %}
    where updated_at >= {{ incremental_lookback_start('updated_at') }}
    {%- endif %}

)

select * from final
