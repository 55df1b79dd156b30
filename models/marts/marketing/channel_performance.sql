-- One row per session month × traffic source × device type: sessions,
-- bounces, the valid orders placed in those sessions and their revenue, and
-- for paid sources the month's ad spend, allocated to devices by their share
-- of the source's sessions that month (ad statistics have no device).

with

int_sessions_aggregated_monthly as (

    select
        session_month,
        traffic_source,
        device_type,
        is_paid,
        sessions,
        bounced_sessions,
        converted_sessions,
        revenue

    from {{ ref('int_sessions_aggregated_monthly') }}

),

int_ad_monthly_stats_aggregated as (

    select
        stat_month,
        platform,
        spend

    from {{ ref('int_ad_monthly_stats_aggregated') }}

),

sessions_per_channel as (

    select
        session_month,
        traffic_source,
        device_type,
        is_paid,
        sum(sessions) as sessions,
        sum(bounced_sessions) as bounced_sessions,
        sum(converted_sessions) as orders,
        sum(revenue) as revenue

    from int_sessions_aggregated_monthly
    group by
        session_month,
        traffic_source,
        device_type,
        is_paid

),

source_sessions_added as (

    select
        *,
        sum(sessions) over (
            partition by session_month, traffic_source
        ) as source_month_sessions

    from sessions_per_channel

),

-- The paid traffic source of a session is its ad's platform (utm_source).
spend_per_source_month as (

    select
        stat_month,
        platform as traffic_source,
        sum(spend) as spend

    from int_ad_monthly_stats_aggregated
    group by
        stat_month,
        platform

),

channels_with_spend as (

    select
        source_sessions_added.session_month,
        source_sessions_added.traffic_source,
        source_sessions_added.device_type,
        source_sessions_added.is_paid,
        source_sessions_added.sessions,
        source_sessions_added.bounced_sessions,
        source_sessions_added.orders,
        source_sessions_added.revenue,
        case
            when source_sessions_added.is_paid
                -- in double precision on every engine (Spark would divide
                -- the decimal to 6 places)
                then cast(
                    coalesce(spend_per_source_month.spend, 0)
                    as {{ type_double() }}
                )
                * source_sessions_added.sessions
                / source_sessions_added.source_month_sessions
        end as spend

    from source_sessions_added
    left join spend_per_source_month
        on
            source_sessions_added.session_month
            = spend_per_source_month.stat_month
            and source_sessions_added.traffic_source
            = spend_per_source_month.traffic_source

),

-- Spend in a month in which its platform brought no session has no device
-- to go to: it is kept on a device_type 'unknown' row so that no spend is
-- lost between the ad statistics and this mart.
spend_without_sessions as (

    select
        spend_per_source_month.stat_month as session_month,
        spend_per_source_month.traffic_source,
        'unknown' as device_type,
        true as is_paid,
        0 as sessions,
        0 as bounced_sessions,
        0 as orders,
        0 as revenue,
        spend_per_source_month.spend

    from spend_per_source_month
    left join sessions_per_channel
        on
            spend_per_source_month.stat_month
            = sessions_per_channel.session_month
            and spend_per_source_month.traffic_source
            = sessions_per_channel.traffic_source
    where sessions_per_channel.session_month is null

),

channels_unioned as (

    select * from channels_with_spend
    union all
    select * from spend_without_sessions

),

final as (

    select
        session_month,
        traffic_source,
        device_type,
        is_paid,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(bounced_sessions as {{ dbt.type_bigint() }}) as bounced_sessions,
        {{ safe_divide('bounced_sessions', 'sessions') }} as bounce_rate,
        cast(orders as {{ dbt.type_bigint() }}) as orders,
        {{ safe_divide('orders', 'sessions') }} as conversion_rate,
        cast(revenue as decimal(18, 2)) as revenue,
        {{ safe_divide('revenue', 'sessions') }} as revenue_per_session,
        {{ safe_divide('revenue', 'orders') }} as average_order_value,
        cast(spend as {{ type_double() }}) as spend,
        {{ safe_divide('revenue', 'spend') }} as roas

    from channels_unioned

)

select * from final
