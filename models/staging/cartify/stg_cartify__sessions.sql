{#- Every trusted session (macros/cartify_checked_rows.sql), renamed to the
    staging contract. A view over its base table, like all staging
    (docs/decisions.md D81): the raw file is read once, by the base model. -#}

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
