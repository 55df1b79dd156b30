-- Along the funnel of a month × traffic source, no step has more sessions
-- than the step before it. Returns the offending steps.

with

funnel_steps as (

    select
        session_month,
        traffic_source,
        step_number,
        funnel_step,
        sessions,
        previous_step_sessions

    from {{ ref('funnel_steps') }}

),

final as (

    select *
    from funnel_steps
    where sessions > previous_step_sessions

)

select * from final
