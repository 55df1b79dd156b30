{#- Incremental, not the staging default table: sessions are event-sized
    (470k a year at scale 1) and immutable. A run upserts only the trusted
    sessions that started in the lookback window (var
    incremental_lookback_days), which takes in late arrivals; later ones are
    quarantined (docs/decisions.md D65, D69). -#}
{{ config(
    materialized='incremental',
    unique_key='session_id',
    post_hook="{{ cartify_delete_untrusted('website_sessions', 'session_id') }}",
) }}

with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('website_sessions') }}

),

final as (

    select
        session_id,
        customer_id,
        started_at,
        utm_source,
        utm_medium,
        utm_campaign as campaign_id,
        utm_content as ad_id,
        device_type,
        referrer as referrer_url,
        landing_page,
        is_repeat_session

    from trusted
    {%- if is_incremental() %}
    where started_at >= {{ incremental_lookback_start('started_at') }}
    {%- endif %}

)

select * from final
