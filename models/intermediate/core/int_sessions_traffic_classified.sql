-- One row per website session: the staged session with the traffic source
-- it is credited to (is_paid, traffic_source). The one place the traffic
-- source rule lives; fct_sessions and fct_orders (last-touch attribution)
-- read it. A view: fct_sessions and fct_orders select the sessions they
-- need from it, so an incremental run classifies only those.

with

stg_cartify__sessions as (

    select
        session_id,
        customer_id,
        started_at,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session

    from {{ ref('stg_cartify__sessions') }}

),

sessions_referrer_lowered as (

    select
        *,
        lower(referrer_url) as referrer_lowered

    from stg_cartify__sessions

),

-- traffic_source: a paid session (utm_source set) is credited to its ad
-- platform; otherwise the referrer decides, e-mail hosts first (so that
-- mail.google.com is e-mail, not search), then search engines, then social
-- networks; any other referrer is a referral and no referrer is direct.
-- Community and video sites (reddit, pinterest, youtube) are referral sites
-- in the raw contract, not social networks.
final as (

    select
        session_id,
        customer_id,
        started_at,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session,
        utm_source is not null as is_paid,
        case
            when utm_source is not null then utm_source
            when referrer_url is null then 'direct'
            when referrer_lowered like '%://mail.%'
                or referrer_lowered like '%://webmail.%'
                or referrer_lowered like '%://outlook.%'
                then 'email'
            when referrer_lowered like '%://www.google.%'
                or referrer_lowered like '%://google.%'
                or referrer_lowered like '%://www.bing.%'
                or referrer_lowered like '%://bing.%'
                or referrer_lowered like '%://search.yahoo.%'
                or referrer_lowered like '%://duckduckgo.%'
                or referrer_lowered like '%://www.ecosia.%'
                then 'organic_search'
            when referrer_lowered like '%://www.facebook.%'
                or referrer_lowered like '%://facebook.%'
                or referrer_lowered like '%://m.facebook.%'
                or referrer_lowered like '%://www.instagram.%'
                or referrer_lowered like '%://instagram.%'
                or referrer_lowered like '%://www.tiktok.%'
                or referrer_lowered like '%://tiktok.%'
                or referrer_lowered like '%://t.co/%'
                or referrer_lowered like '%://x.com/%'
                or referrer_lowered like '%://www.linkedin.%'
                then 'organic_social'
            else 'referral'
        end as traffic_source

    from sessions_referrer_lowered

)

select * from final
