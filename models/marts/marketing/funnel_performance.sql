-- One row per session month × traffic source: the checkout funnel as a
-- whole, with the rates that belong to the funnel rather than to one of its
-- steps (cart abandonment, conversion). The step-by-step view is
-- funnel_steps, at month × source × step.

with

int_sessions_aggregated_monthly as (

    select
        session_month,
        traffic_source,
        sessions,
        cart_sessions,
        abandoned_cart_sessions,
        converted_sessions

    from {{ ref('int_sessions_aggregated_monthly') }}

),

funnel_per_source_month as (

    select
        session_month,
        traffic_source,
        sum(sessions) as sessions,
        sum(cart_sessions) as cart_sessions,
        sum(abandoned_cart_sessions) as abandoned_cart_sessions,
        sum(converted_sessions) as converted_sessions

    from int_sessions_aggregated_monthly
    group by
        session_month,
        traffic_source

),

final as (

    select
        session_month,
        traffic_source,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(cart_sessions as {{ dbt.type_bigint() }}) as cart_sessions,
        cast(abandoned_cart_sessions as {{ dbt.type_bigint() }})
            as abandoned_cart_sessions,
        {{ safe_divide('abandoned_cart_sessions', 'cart_sessions') }}
            as cart_abandonment_rate,
        cast(converted_sessions as {{ dbt.type_bigint() }})
            as converted_sessions,
        {{ safe_divide('converted_sessions', 'sessions') }}
            as conversion_rate

    from funnel_per_source_month

)

select * from final
