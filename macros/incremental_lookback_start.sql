{#- The first timestamp an incremental run reprocesses: the latest `column`
    already in `relation` (default: the model being built, `this`) minus the
    var incremental_lookback_days. A scalar subquery, used as
    `where updated_at >= {{ incremental_lookback_start('updated_at') }}`.
    An empty relation gives 1900-01-01, so everything is reprocessed. -#}
{% macro incremental_lookback_start(column, relation=none) %}
    {{ return(adapter.dispatch('incremental_lookback_start', 'cartify')(
        column, relation
    )) }}
{% endmacro %}

{% macro default__incremental_lookback_start(column, relation=none) -%}
    {%- set days = var('incremental_lookback_days') -%}
    {%- if days is not number or days < 0 or days != days | int -%}
        {{ exceptions.raise_compiler_error(
            "var incremental_lookback_days must be a whole number of days"
            ~ " >= 0, got " ~ days
        ) }}
    {%- endif -%}
    {%- set latest -%}
        coalesce(
            max({{ column }}),
            cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }})
        )
    {%- endset -%}
    (
        select {{ dbt.dateadd('day', -1 * (days | int), latest) }}
        from {{ relation if relation is not none else this }}
    )
{%- endmacro %}
