{#- Incremental, as the table of an event-sized entity: this is the only
    scan of the pageviews (12M rows at scale 10), aggregated once per
    session. A run recomputes only the sessions that started, had a pageview
    or whose order changed in the lookback window (macro
    changed_session_ids), each from all of its pageviews, and upserts them
    by session_id. docs/decisions.md D1-D3, D13. -#}
{#- post_hook: a key staging no longer trusts leaves the fact too (D69) -#}
{{ config(
    materialized='incremental',
    unique_key='session_id',
    post_hook="{{ cartify_delete_missing(
        'session_id', ref('stg_cartify__sessions')
    ) }}",
) }}
-- depends_on: {{ ref('stg_cartify__sessions') }}

-- One row per website session: its attributes, traffic source, pageview
-- count, how far it got down the checkout funnel and the order it placed.

with

{% if is_incremental() -%}
-- The sessions this run recomputes (the others are unchanged).
sessions_to_refresh as (

    {{ changed_session_ids(incremental_lookback_start('started_at')) }}

),

{% endif -%}
int_sessions_traffic_classified as (

    select
        session_id,
        customer_id,
        started_at,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session

    from {{ ref('int_sessions_traffic_classified') }}
    {%- if is_incremental() %}
    where session_id in (select session_id from sessions_to_refresh)
    {%- endif %}

),

stg_cartify__pageviews as (

    select
        session_id,
        viewed_at,
        page_url

    from {{ ref('stg_cartify__pageviews') }}
    {%- if is_incremental() %}
    where session_id in (select session_id from sessions_to_refresh)
    {%- endif %}

),

stg_cartify__orders as (

    select
        order_id,
        session_id

    from {{ ref('stg_cartify__orders') }}
    {%- if is_incremental() %}
    where session_id in (select session_id from sessions_to_refresh)
    {%- endif %}

),

-- Funnel step of each page: 0 landing or other, 1 /products, 2 a product
-- page, 3 /cart, 4 /shipping, 5 /billing, 6 /thank-you.
pageviews_classified as (

    select
        session_id,
        viewed_at,
        case
            when page_url = '/thank-you' then 6
            when page_url = '/billing' then 5
            when page_url = '/shipping' then 4
            when page_url = '/cart' then 3
            when page_url like '/products/%' then 2
            when page_url = '/products' then 1
            else 0
        end as funnel_step

    from stg_cartify__pageviews

),

pageviews_aggregated as (

    select
        session_id,
        count(*) as pageview_count,
        max(viewed_at) as last_viewed_at,
        max(funnel_step) as furthest_funnel_step

    from pageviews_classified
    group by session_id

),

sessions_joined as (

    select
        int_sessions_traffic_classified.*,
        pageviews_aggregated.last_viewed_at,
        coalesce(pageviews_aggregated.pageview_count, 0) as pageview_count,
        coalesce(pageviews_aggregated.furthest_funnel_step, 0)
            as furthest_funnel_step,
        stg_cartify__orders.order_id

    from int_sessions_traffic_classified
    left join pageviews_aggregated
        on
            int_sessions_traffic_classified.session_id
            = pageviews_aggregated.session_id
    left join stg_cartify__orders
        on
            int_sessions_traffic_classified.session_id
            = stg_cartify__orders.session_id

),

final as (

    select
        session_id,
        customer_id,
        campaign_id,
        ad_id,
        order_id,
        started_at,
        cast(started_at as date) as session_date,
        cast({{ dbt.date_trunc('month', 'started_at') }} as date)
            as session_month,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session,
        cast(pageview_count as {{ dbt.type_int() }}) as pageview_count,
        pageview_count = 1 as is_bounce,
        cast(
            coalesce(
                {{ dbt.datediff('started_at', 'last_viewed_at', 'second') }},
                0
            ) as {{ dbt.type_bigint() }}
        ) as session_duration_seconds,
        cast(furthest_funnel_step as {{ dbt.type_int() }})
            as furthest_funnel_step,
        furthest_funnel_step >= 1 as reached_products,
        furthest_funnel_step >= 2 as reached_product_page,
        furthest_funnel_step >= 3 as reached_cart,
        furthest_funnel_step >= 4 as reached_shipping,
        furthest_funnel_step >= 5 as reached_billing,
        furthest_funnel_step >= 6 as reached_thank_you,
        order_id is not null as has_order

    from sessions_joined

)

select * from final
