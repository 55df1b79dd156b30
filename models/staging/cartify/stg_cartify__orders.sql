{#- Incremental, not the staging default table: orders are event-sized and
    change (processing -> shipped -> delivered -> returned) with a later
    updated_at. A run upserts only the orders
    updated in the lookback window (var incremental_lookback_days): new,
    late and changed orders, of the rows the checks trust (base models:
    docs/decisions.md D65, D69). -#}
{{ config(
    materialized='incremental',
    unique_key='order_id',
    post_hook="{{ cartify_delete_untrusted('orders', 'order_id') }}",
) }}

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
    {%- if is_incremental() %}
    where updated_at >= {{ incremental_lookback_start('updated_at') }}
    {%- endif %}

)

select * from final
