-- An order exists for a session exactly when the session viewed /thank-you,
-- checked on the staged pageviews and orders (independently of the funnel
-- logic in fct_sessions), and the funnel model agrees.

with

stg_cartify__pageviews as (

    select
        session_id,
        page_url

    from {{ ref('stg_cartify__pageviews') }}

),

stg_cartify__orders as (

    select
        order_id,
        session_id

    from {{ ref('stg_cartify__orders') }}

),

fct_sessions as (

    select
        session_id,
        reached_thank_you,
        has_order,
        order_id

    from {{ ref('fct_sessions') }}

),

thank_you_sessions as (

    select distinct session_id
    from stg_cartify__pageviews
    where page_url = '/thank-you'

),

raw_mismatches as (

    select
        coalesce(
            thank_you_sessions.session_id, stg_cartify__orders.session_id
        ) as session_id,
        case
            when stg_cartify__orders.session_id is null
                then 'thank-you without an order'
            else 'order without a thank-you'
        end as failure

    from thank_you_sessions
    full outer join stg_cartify__orders
        on thank_you_sessions.session_id = stg_cartify__orders.session_id
    where
        thank_you_sessions.session_id is null
        or stg_cartify__orders.session_id is null

),

funnel_mismatches as (

    select
        fct_sessions.session_id,
        'funnel flags disagree with the order' as failure

    from fct_sessions
    left join stg_cartify__orders
        on fct_sessions.session_id = stg_cartify__orders.session_id
    where
        fct_sessions.reached_thank_you
        <> (stg_cartify__orders.order_id is not null)
        or fct_sessions.has_order
        <> (stg_cartify__orders.order_id is not null)
        or coalesce(fct_sessions.order_id, -1)
        <> coalesce(stg_cartify__orders.order_id, -1)

),

final as (

    select * from raw_mismatches
    union all
    select * from funnel_mismatches

)

select * from final
