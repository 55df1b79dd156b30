{#- A table: MetricFlow joins to it for every cumulative or gap-filled
    query, and it never changes between builds of the same var. -#}
{{ config(materialized='table') }}

-- One row per calendar day from the var metricflow_time_spine_start, for
-- 10,000 days (about 27 years): MetricFlow's day-grain time spine. Built from
-- a cross join of digits so that it needs no generate_series (portable).

with

digits as (

    select 0 as digit union all select 1 union all select 2
    union all select 3 union all select 4 union all select 5
    union all select 6 union all select 7 union all select 8
    union all select 9

),

day_numbers as (

    select
        thousands.digit * 1000
        + hundreds.digit * 100
        + tens.digit * 10
        + units.digit as day_number

    from digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as units

),

final as (

    select
        cast(
            {{ dbt.dateadd(
                'day',
                'day_number',
                "cast('" ~ var('metricflow_time_spine_start')
                ~ "' as date)"
            ) }} as date
        ) as date_day

    from day_numbers

)

select * from final
