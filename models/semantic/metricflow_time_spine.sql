{#- A table: MetricFlow joins to it for every cumulative or gap-filled
    query, and it never changes between builds of the same var. -#}
{{ config(materialized='table') }}

{%- set start_date =
    "cast('" ~ var('metricflow_time_spine_start') ~ "' as date)" %}

-- One row per calendar day from the var metricflow_time_spine_start, for
-- 10,000 days (about 27 years): MetricFlow's day-grain time spine, from
-- dbt's portable date_spine (the end date is exclusive).

with

days as (

    {{ dbt.date_spine(
        'day',
        start_date,
        dbt.dateadd('day', 10000, start_date)
    ) }}

),

final as (

    select cast(date_day as date) as date_day

    from days

)

select * from final
