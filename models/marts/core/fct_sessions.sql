-- One row per website session: traffic source, device, funnel progress and
-- the order placed, from int_sessions_funnel.

with

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
