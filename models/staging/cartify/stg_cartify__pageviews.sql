{#- Every trusted pageview (macros/cartify_checked_rows.sql), renamed to
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
