-- One row per session month × traffic source × funnel step (landing →
-- products → product page → cart → shipping → billing → thank you): sessions
-- reaching the step, conversion from the previous and the first step,
-- and drop-off. Rates of the whole funnel (cart abandonment, conversion)
-- are at the funnel's grain, in funnel_performance.

{%- set funnel_steps = [
    ('landing', 'sessions'),
    ('products', 'products_sessions'),
    ('product_page', 'product_page_sessions'),
    ('cart', 'cart_sessions'),
    ('shipping', 'shipping_sessions'),
    ('billing', 'billing_sessions'),
    ('thank_you', 'thank_you_sessions'),
] %}

with

int_sessions_aggregated_monthly as (

    select
        session_month,
        traffic_source,
        {%- for step_name, step_column in funnel_steps %}
        {{ step_column }}{{ ',' if not loop.last }}
        {%- endfor %}

    from {{ ref('int_sessions_aggregated_monthly') }}

),

steps_per_source_month as (

    select
        session_month,
        traffic_source,
        {%- for step_name, step_column in funnel_steps %}
        sum({{ step_column }}) as {{ step_name }}_sessions
        {{- ',' if not loop.last }}
        {%- endfor %}

    from int_sessions_aggregated_monthly
    group by
        session_month,
        traffic_source

),

-- One row per step: the funnel unpivoted, each step's count next to the
-- count of the first step.
steps_unpivoted as (
    {%- for step_name, step_column in funnel_steps %}

    select
        session_month,
        traffic_source,
        {{ loop.index }} as step_number,
        '{{ step_name }}' as funnel_step,
        {{ step_name }}_sessions as sessions,
        landing_sessions as first_step_sessions

    from steps_per_source_month
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

previous_step_added as (

    select
        *,
        coalesce(
            lag(sessions) over (
                partition by session_month, traffic_source
                order by step_number
            ),
            sessions
        ) as previous_step_sessions

    from steps_unpivoted

),

final as (

    select
        session_month,
        traffic_source,
        cast(step_number as {{ dbt.type_int() }}) as step_number,
        funnel_step,
        cast(sessions as {{ dbt.type_bigint() }}) as sessions,
        cast(previous_step_sessions as {{ dbt.type_bigint() }})
            as previous_step_sessions,
        {{ safe_divide('sessions', 'previous_step_sessions') }}
            as conversion_from_previous_step,
        {{ safe_divide('sessions', 'first_step_sessions') }}
            as conversion_from_first_step,
        cast(previous_step_sessions - sessions as {{ dbt.type_bigint() }})
            as drop_off_sessions,
        {{ safe_divide(
            'previous_step_sessions - sessions', 'previous_step_sessions'
        ) }} as drop_off_rate

    from previous_step_added

)

select * from final
