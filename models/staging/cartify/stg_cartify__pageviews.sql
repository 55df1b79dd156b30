{#- Every trusted pageview (macros/cartify_checked_rows.sql), renamed to
    the staging contract. A view over its base table, like all staging
    (docs/decisions.md D81): the raw file is read once, by the base model. -#}

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

)

select * from final
