{#- Incremental (event-sized): a run upserts, by session_id, the sessions
    int_sessions_funnel recomputed (the same macro changed_session_ids, from
    this table's latest started_at minus the lookback). docs/decisions.md. -#}
{{ config(materialized='incremental', unique_key='session_id') }}
-- depends_on: {{ ref('stg_cartify__sessions') }}
-- depends_on: {{ ref('stg_cartify__pageviews') }}
-- depends_on: {{ ref('stg_cartify__orders') }}

-- One row per website session: traffic source, device, funnel progress and
-- the order placed, from int_sessions_funnel.

with

{% if is_incremental() -%}
-- The sessions this run upserts (the others are unchanged).
sessions_to_refresh as (

    {{ changed_session_ids(incremental_lookback_start('started_at')) }}

),

{% endif -%}
int_sessions_funnel as (

    select
        session_id,
        customer_id,
        campaign_id,
        ad_id,
        order_id,
        started_at,
        session_date,
        session_month,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session,
        pageview_count,
        is_bounce,
        session_duration_seconds,
        furthest_funnel_step,
        reached_products,
        reached_product_page,
        reached_cart,
        reached_shipping,
        reached_billing,
        reached_thank_you,
        has_order

    from {{ ref('int_sessions_funnel') }}
    {%- if is_incremental() %}
    where session_id in (select session_id from sessions_to_refresh)
    {%- endif %}

),

final as (

    select
        session_id,
        customer_id,
        campaign_id,
        ad_id,
        order_id,
        started_at,
        session_date,
        session_month,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session,
        pageview_count,
        is_bounce,
        session_duration_seconds,
        furthest_funnel_step,
        reached_products,
        reached_product_page,
        reached_cart,
        reached_shipping,
        reached_billing,
        reached_thank_you,
        has_order

    from int_sessions_funnel

)

select * from final
