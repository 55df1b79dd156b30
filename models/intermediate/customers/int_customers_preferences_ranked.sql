-- One row per customer with a preferred category or channel as of
-- as_of_date. Preferred category: most units bought (items not cancelled,
-- ordered on or before as_of_date, returned or not). Preferred channel: the
-- traffic source of most of the customer's sessions started on or before
-- as_of_date. Ties go to the alphabetically first. Definitions:
-- models/marts/customers/_customers__docs.md.

with

fct_order_items as (

    select
        customer_id,
        order_date,
        category,
        quantity,
        is_cancelled

    from {{ ref('fct_order_items') }}

),

fct_sessions as (

    select
        customer_id,
        session_date,
        traffic_source

    from {{ ref('fct_sessions') }}

),

int_as_of_date as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

categories_ranked as (

    select
        fct_order_items.customer_id,
        fct_order_items.category,
        row_number() over (
            partition by fct_order_items.customer_id
            order by
                sum(fct_order_items.quantity) desc,
                fct_order_items.category asc
        ) as category_rank

    from fct_order_items
    cross join int_as_of_date
    where
        not fct_order_items.is_cancelled
        and fct_order_items.order_date <= int_as_of_date.as_of_date
        and fct_order_items.category is not null
    group by fct_order_items.customer_id, fct_order_items.category

),

channels_ranked as (

    select
        fct_sessions.customer_id,
        fct_sessions.traffic_source,
        row_number() over (
            partition by fct_sessions.customer_id
            order by count(*) desc, fct_sessions.traffic_source asc
        ) as channel_rank

    from fct_sessions
    cross join int_as_of_date
    where
        fct_sessions.customer_id is not null
        and fct_sessions.traffic_source is not null
        and fct_sessions.session_date <= int_as_of_date.as_of_date
    group by fct_sessions.customer_id, fct_sessions.traffic_source

),

preferred_categories as (

    select
        customer_id,
        category as preferred_category

    from categories_ranked
    where category_rank = 1

),

preferred_channels as (

    select
        customer_id,
        traffic_source as preferred_channel

    from channels_ranked
    where channel_rank = 1

),

final as (

    select
        coalesce(
            preferred_categories.customer_id, preferred_channels.customer_id
        ) as customer_id,
        preferred_categories.preferred_category,
        preferred_channels.preferred_channel

    from preferred_categories
    full outer join preferred_channels
        on preferred_categories.customer_id = preferred_channels.customer_id

)

select * from final
