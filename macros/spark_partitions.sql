{#- Spark: partition-wise incremental runs on plain Parquet (docs/decisions.md
    D61). fct_orders and fct_order_items are partitioned by order_date,
    fct_sessions by session_date (dbt_project.yml, Spark only), and their
    incremental runs use insert_overwrite with Spark's dynamic partition
    overwrite: the partitions the new rows fall in are replaced, the others
    are left as they are. A replaced partition must get every one of its
    rows, so on Spark the change sets the models recompute (the macros
    below) are widened from keys to whole days: every order (session) of
    each day on which one changed. Spark also refuses to overwrite a table
    that the same query reads, so the lookback start is read from the table
    before the model's query runs and enters it as a literal. -#}

{#- The lookback start as a timestamp literal read before the query runs
    (the query must not read `this`, the table it overwrites). Only the
    partitioned models run incrementally on Spark; any other caller (a unit
    test forcing is_incremental, whose `this` is a fixture) gets the
    portable subquery. -#}
{% macro spark__incremental_lookback_start(column, relation=none) -%}
    {%- if not config.get('partition_by') -%}
        {{ return(default__incremental_lookback_start(column, relation)) }}
    {%- endif -%}
    {%- set source = relation if relation is not none else this -%}
    {%- set latest = '1900-01-01 00:00:00' -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select cast(max(" ~ column ~ ") as string) from " ~ source
        ).columns[0].values()[0] -%}
        {%- set latest = found if found else latest -%}
    {%- endif -%}
    {{ default__incremental_lookback_start(
        column, "(select cast('" ~ latest ~ "' as timestamp) as " ~ column ~ ")"
    ) }}
{%- endmacro %}

{#- `ids_sql` (a query of ids) widened to every id of `relation` whose day
    (`time_column` cast to a date) is the day of one of them. -#}
{% macro cartify_ids_of_whole_days(ids_sql, id_column, relation, time_column) -%}
    select {{ id_column }}
    from {{ relation }}
    where cast({{ time_column }} as date) in (
        select cast({{ time_column }} as date)
        from {{ relation }}
        where {{ id_column }} in (
            {{ ids_sql }}
        )
    )
{%- endmacro %}

{% macro spark__changed_order_ids(since, include_product_changes=false) -%}
    {{ cartify_ids_of_whole_days(
        default__changed_order_ids(since, include_product_changes),
        'order_id', ref('stg_cartify__orders'), 'ordered_at'
    ) }}
{%- endmacro %}

{% macro spark__changed_session_ids(since) -%}
    {{ cartify_ids_of_whole_days(
        default__changed_session_ids(since),
        'session_id', ref('stg_cartify__sessions'), 'started_at'
    ) }}
{%- endmacro %}

{#- fct_orders numbers each customer's orders over the whole history, so the
    orders it recomputes must hold every order of their customers and, to
    replace whole partitions, every order of their days. The smallest such
    set is a closure (days -> their customers -> those customers' days ...),
    computed here by repeated queries before the model runs (at most 50
    rounds; each only adds days) and given to the model as a list of days. -#}
{% macro spark__changed_customer_order_ids(since) -%}
    {%- set orders = ref('stg_cartify__orders') -%}
    {%- if not execute -%}
        {{ return(default__changed_customer_order_ids(since)) }}
    {%- endif -%}
    {%- set first -%}
        select distinct cast(cast(ordered_at as date) as string)
        from {{ orders }}
        where order_id in ({{ default__changed_customer_order_ids(since) }})
    {%- endset -%}
    {%- set ns = namespace(
        days=run_query(first).columns[0].values() | map('string') | sort | list,
        done=false,
    ) -%}
    {%- for round in range(50) -%}
        {%- if ns.days and not ns.done -%}
            {%- set ns.done = true -%}
            {%- set wider -%}
                select distinct cast(cast(ordered_at as date) as string)
                from {{ orders }}
                where customer_id in (
                    select customer_id
                    from {{ orders }}
                    where cast(ordered_at as date) in (
                        {{ cartify_date_literals(ns.days) }}
                    )
                )
            {%- endset -%}
            {%- set days = run_query(wider).columns[0].values()
                | map('string') | sort | list -%}
            {%- if days | length > ns.days | length -%}
                {%- set ns.done = false -%}
            {%- endif -%}
            {%- set ns.days = days -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if ns.days and not ns.done -%}
        {{ exceptions.raise_compiler_error(
            "spark__changed_customer_order_ids: no closure in 50 rounds") }}
    {%- endif -%}
    select order_id
    from {{ orders }}
    where
    {%- if ns.days %}
        cast(ordered_at as date) in ({{ cartify_date_literals(ns.days) }})
    {%- else %}
        false
    {%- endif %}
{%- endmacro %}

{% macro cartify_date_literals(days) -%}
    {%- for day in days -%}
        cast('{{ day[:10] }}' as date){{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
