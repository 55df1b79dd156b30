{#- A one-row table, not a view: marts and tests read it many times, and
    as a view every read would rescan the session and order tables. -#}
{{ config(materialized='table') }}

{%- set as_of_date_var = var('as_of_date', none) %}

-- One row: the reporting "today". The var as_of_date when it is set, else
-- the last day with data (the latest session start, order or ad statistic).
-- Also the first day with data, so that reports can flag the periods the
-- data covers only in part (kpi_summary.is_partial_period).

with

stg_cartify__sessions as (

    select started_at from {{ ref('stg_cartify__sessions') }}

),

stg_cartify__orders as (

    select ordered_at from {{ ref('stg_cartify__orders') }}

),

stg_cartify__ad_daily_stats as (

    select stat_date from {{ ref('stg_cartify__ad_daily_stats') }}

),

first_and_last_days as (

    select
        (
            select cast(min(started_at) as date)
            from stg_cartify__sessions
        ) as first_session_date,
        (
            select cast(min(ordered_at) as date)
            from stg_cartify__orders
        ) as first_order_date,
        (
            select min(stat_date)
            from stg_cartify__ad_daily_stats
        ) as first_stat_date,
        (
            select cast(max(started_at) as date)
            from stg_cartify__sessions
        ) as last_session_date,
        (
            select cast(max(ordered_at) as date)
            from stg_cartify__orders
        ) as last_order_date,
        (
            select max(stat_date)
            from stg_cartify__ad_daily_stats
        ) as last_stat_date

),

final as (

    select
        {%- if as_of_date_var %}
        cast('{{ as_of_date_var }}' as date) as as_of_date,
        'var' as as_of_date_source
        {%- else %}
        -- greatest() skips nulls on DuckDB, Postgres and Spark
        greatest(last_session_date, last_order_date, last_stat_date)
            as as_of_date,
        'data' as as_of_date_source
        {%- endif %},
        -- least() skips nulls as greatest() does
        least(first_session_date, first_order_date, first_stat_date)
            as first_data_date

    from first_and_last_days

)

select * from final
