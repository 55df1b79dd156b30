{#- Every trusted session (macros/cartify_checked_rows.sql), renamed to
    the staging contract. A table, not the staging default view: the event
    tables are read by fct_sessions and about ten data tests, and a view
    would filter its base table again at each read (at scale 10 the view
    cost more than the table's write; docs/decisions.md D81). -#}
{{ config(materialized='table') }}

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

)

select * from final
