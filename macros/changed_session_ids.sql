{#- A query of the session_ids whose funnel row may have changed since
    `since` (a timestamp expression, usually incremental_lookback_start):
    sessions that started, had a pageview or whose order changed at or after
    it. Used by the incremental model fct_sessions to pick the sessions it
    recomputes. A model calling it
    must declare the three staging models it reads with `-- depends_on:`
    (it is called only in incremental runs, which dbt does not parse). -#}
{% macro changed_session_ids(since) %}
    {{ return(adapter.dispatch('changed_session_ids', 'cartify')(since)) }}
{% endmacro %}

{% macro default__changed_session_ids(since) -%}
    select session_id
    from {{ ref('stg_cartify__sessions') }}
    where started_at >= {{ since }}

    union

    select session_id
    from {{ ref('stg_cartify__pageviews') }}
    where viewed_at >= {{ since }}

    union

    select session_id
    from {{ ref('stg_cartify__orders') }}
    where updated_at >= {{ since }}
{%- endmacro %}
