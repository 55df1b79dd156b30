{#- Implementation of the generic test tests/generic/recency.sql.

    as_of: none -> dbt.current_timestamp(); a bare ISO date or timestamp
    ('2024-12-31', '2024-12-31 23:59:59', or a date object from a var) -> that
    literal; anything else -> a SQL expression, used as is (e.g.
    "(select max(as_of_date) from {{ ref('int_as_of_date') }})").
    Only staleness fails: a latest value after as_of passes (bound it with
    accepted_range if that matters). -#}
{% macro default__test_recency(model, field, datepart, interval, as_of) %}
    {%- set interval_value = interval -%}
    {%- if interval is string
        and modules.re.fullmatch('-?[0-9]+', interval | trim) -%}
        {%- set interval_value = interval | trim | int -%}
    {%- endif -%}
    {%- if interval_value is number -%}
        {%- set negative_interval = -interval_value -%}
    {%- elif execute -%}
        {{ exceptions.raise_compiler_error(
            "recency on " ~ model ~ ": interval must be an integer, got: "
            ~ interval
        ) }}
    {%- endif -%}

    {%- set iso_pattern =
        '[0-9]{4}-[0-9]{2}-[0-9]{2}'
        ~ '([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?' -%}
    {%- if as_of is none -%}
        {%- set as_of_sql = dbt.current_timestamp() -%}
    {%- elif modules.re.fullmatch(iso_pattern, as_of | string | trim) -%}
        {%- set as_of_sql = "'" ~ (as_of | string | trim) ~ "'" -%}
    {%- else -%}
        {%- set as_of_sql = as_of -%}
    {%- endif -%}
    {%- set as_of_at =
        'cast(' ~ as_of_sql ~ ' as ' ~ dbt.type_timestamp() ~ ')' %}

with latest as (
    select
        max(cast({{ field }} as {{ dbt.type_timestamp() }})) as most_recent_at
    from {{ model }}
),

bounds as (
    select
        {{ as_of_at }} as as_of_at,
        cast(
            {{ dbt.dateadd(datepart, negative_interval, as_of_at) }}
            as {{ dbt.type_timestamp() }}
        ) as threshold_at
),

final as (
    select
        latest.most_recent_at,
        bounds.as_of_at,
        bounds.threshold_at
    from latest
    cross join bounds
    where
        latest.most_recent_at is null
        or latest.most_recent_at < bounds.threshold_at
)

select * from final
{% endmacro %}
