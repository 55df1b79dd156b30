{#- Incremental, not the staging default table: pageviews are the largest
    table (1.2M a year at scale 1) and immutable. A run upserts only the
    trusted pageviews viewed in the lookback window (var
    incremental_lookback_days), which takes in late arrivals
    (docs/decisions.md D65). -#}
{{ config(
    materialized='incremental',
    unique_key='pageview_id',
    post_hook="{{ cartify_delete_untrusted('pageviews', 'pageview_id') }}",
) }}

with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('pageviews') }}

),

final as (

    select
        pageview_id,
        session_id,
        viewed_at,
        page_url

    from trusted
    {%- if is_incremental() %}
    where viewed_at >= {{ incremental_lookback_start('viewed_at') }}
    {%- endif %}

)

select * from final
