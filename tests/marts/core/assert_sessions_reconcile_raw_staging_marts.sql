-- No session is lost or duplicated between raw, staging and fct_sessions, no
-- pageview is lost between staging and the sessions' pageview counts, and the
-- sessions with an order are exactly the orders of fct_orders.

with

raw_sessions as (

    -- the raw keys (contract form) of the rows staging trusts: all but the
    -- keys of the rows the reader returned and staging quarantined
    select
        count(distinct {{ cartify_parse('session_id', 'int') }})
        - (
            select count(distinct {{ cartify_parse('row_key', 'int') }})
            from {{ ref('quarantined_rows') }}
            where table_name = 'website_sessions' and source_row is not null
        ) as session_count
    from {{ source('cartify', 'website_sessions') }}
    where {{ cartify_every_field_read('website_sessions') }}

),

stg_cartify__sessions as (

    select count(*) as session_count
    from {{ ref('stg_cartify__sessions') }}

),

stg_cartify__pageviews as (

    select count(*) as pageview_count
    from {{ ref('stg_cartify__pageviews') }}

),

fct_sessions as (

    select
        count(*) as session_count,
        sum(pageview_count) as pageview_count,
        sum(case when has_order then 1 else 0 end) as ordering_session_count

    from {{ ref('fct_sessions') }}

),

fct_orders as (

    select count(*) as order_count
    from {{ ref('fct_orders') }}

),

checks as (

    select
        'sessions: raw vs staging vs fct_sessions' as check_name,
        raw_sessions.session_count <> stg_cartify__sessions.session_count
        or stg_cartify__sessions.session_count <> fct_sessions.session_count
            as is_failed
    from raw_sessions
    cross join stg_cartify__sessions
    cross join fct_sessions

    union all

    select
        'pageviews: staging vs fct_sessions.pageview_count' as check_name,
        stg_cartify__pageviews.pageview_count <> fct_sessions.pageview_count
            as is_failed
    from stg_cartify__pageviews
    cross join fct_sessions

    union all

    select
        'ordering sessions vs fct_orders' as check_name,
        fct_sessions.ordering_session_count <> fct_orders.order_count
            as is_failed
    from fct_sessions
    cross join fct_orders

)

select check_name
from checks
where is_failed
