{#- A table, not the intermediate default view: it is the one scan of the
    session-sized fct_sessions (4.7M rows at scale 10), read by
    channel_performance, funnel_steps, the ad and campaign performance and
    kpi_summary, which then aggregate a few thousand rows. -#}
{{ config(materialized='table') }}

-- One row per session month × traffic source × device type × ad (campaign_id
-- and ad_id null for unpaid traffic): session, bounce and funnel-step counts,
-- and the valid orders placed in those sessions with their revenue and gross
-- profit (last touch: an order belongs to its session's ad). Orders count in
-- the month the session started.

with

fct_sessions as (

    select
        session_id,
        session_month,
        traffic_source,
        device_type,
        is_paid,
        campaign_id,
        ad_id,
        is_bounce,
        reached_products,
        reached_product_page,
        reached_cart,
        reached_shipping,
        reached_billing,
        reached_thank_you,
        has_order

    from {{ ref('fct_sessions') }}

),

fct_orders as (

    select
        session_id,
        net_revenue,
        gross_profit

    from {{ ref('fct_orders') }}
    where not is_cancelled

),

sessions_joined_to_orders as (

    select
        fct_sessions.*,
        fct_orders.session_id is not null as has_valid_order,
        fct_orders.net_revenue,
        fct_orders.gross_profit

    from fct_sessions
    left join fct_orders
        on fct_sessions.session_id = fct_orders.session_id

),

final as (

    select
        session_month,
        traffic_source,
        device_type,
        is_paid,
        campaign_id,
        ad_id,
        count(*) as sessions,
        sum(case when is_bounce then 1 else 0 end) as bounced_sessions,
        sum(case when reached_products then 1 else 0 end) as products_sessions,
        sum(case when reached_product_page then 1 else 0 end)
            as product_page_sessions,
        sum(case when reached_cart then 1 else 0 end) as cart_sessions,
        sum(case when reached_shipping then 1 else 0 end) as shipping_sessions,
        sum(case when reached_billing then 1 else 0 end) as billing_sessions,
        sum(case when reached_thank_you then 1 else 0 end)
            as thank_you_sessions,
        sum(case when reached_cart and not has_order then 1 else 0 end)
            as abandoned_cart_sessions,
        sum(case when has_valid_order then 1 else 0 end) as converted_sessions,
        cast(coalesce(sum(net_revenue), 0) as decimal(18, 2))
            as revenue,
        cast(coalesce(sum(gross_profit), 0) as decimal(18, 2))
            as gross_profit

    from sessions_joined_to_orders
    group by
        session_month,
        traffic_source,
        device_type,
        is_paid,
        campaign_id,
        ad_id

)

select * from final
