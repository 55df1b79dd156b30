{#- Which world the warehouse holds (docs/decisions.md D45, D46).

    A world is what the generator's manifest.json names: generator version,
    profile, seed, scale, period start, and its batches (batch k ends on the
    k-th entry of batch_period_ends). cartify_raw_world_sql() selects the one
    row describing the world now in raw; cartify_guard_world() (on-run-start)
    compares it with the row recorded in the warehouse by the previous run,
    stops a run whose raw world does not continue the recorded one, and
    records the new one. cartify_freshness_clock() is the end of the raw
    world's period, the "now" source freshness is measured against. -#}

{% macro cartify_data_dir() -%}
    {{ return(env_var("CARTIFY_DATA_DIR", var("cartify_data_dir"))) }}
{%- endmacro %}

{% macro cartify_raw_world_sql() %}
    {{ return(adapter.dispatch('cartify_raw_world_sql', 'cartify')()) }}
{% endmacro %}

{#- DuckDB reads the manifest beside the raw files. -#}
{% macro duckdb__cartify_raw_world_sql() %}
    select
        cast(generator_version as varchar) as generator_version,
        cast(profile as varchar) as profile,
        cast(seed as bigint) as seed,
        cast(scale as double) as scale,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(batch as bigint) as batch,
        array_to_string(
            list_transform(batches, b -> cast(b.period_end as varchar)), ','
        ) as batch_period_ends
    from read_json_auto('{{ cartify_data_dir() }}/manifest.json')
{% endmacro %}

{#- A server warehouse cannot read a file on the dbt host: the loader writes
    the manifest's row into raw.world (same columns, loader/world.py). -#}
{% macro default__cartify_raw_world_sql() %}
    select
        generator_version, profile, seed, scale, period_start, period_end,
        batch, batch_period_ends
    from {{ api.Relation.create(
        database=target.get('database'), schema='raw', identifier='world'
    ) }}
{% endmacro %}

{% macro cartify_world_record() %}
    {{ return(api.Relation.create(
        database=target.get('database'),
        schema=generate_schema_name('snapshots', none),
        identifier='warehouse_world',
        type='table',
    )) }}
{% endmacro %}

{% macro cartify_describe_world(row) -%}
    seed {{ row['seed'] }}, scale {{ row['scale'] }},
    {{- ' ' }}profile {{ row['profile'] }},
    {{- ' ' }}{{ row['period_start'] }} to {{ row['period_end'] }},
    {{- ' ' }}batch {{ row['batch'] }}
{%- endmacro %}

{% macro cartify_guard_world() %}
    {%- set command = invocation_args_dict.get('which') -%}
    {%- if not execute or command not in ['build', 'run', 'snapshot'] -%}
        {{ return('') }}
    {%- endif -%}
    {#- Only a run that builds this project's models or snapshots reads the raw
        world (a run of a package's nodes alone, e.g. the project evaluator,
        does not). -#}
    {%- set ns = namespace(builds_own_nodes=false) -%}
    {%- for unique_id in selected_resources -%}
        {%- if unique_id.startswith('model.' ~ project_name ~ '.')
            or unique_id.startswith('snapshot.' ~ project_name ~ '.') -%}
            {%- set ns.builds_own_nodes = true -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not ns.builds_own_nodes -%}
        {{ return('') }}
    {%- endif -%}
    {%- set raw_sql = cartify_raw_world_sql() -%}
    {%- set new = run_query(raw_sql).rows[0] -%}
    {%- set record = cartify_world_record() -%}
    {%- set existing = adapter.get_relation(
        database=record.database, schema=record.schema,
        identifier=record.identifier) -%}
    {%- if existing is not none -%}
        {%- set old = run_query('select * from ' ~ existing).rows[0] -%}
        {%- set ends = (new['batch_period_ends'] or '').split(',') -%}
        {%- set same_world = (
            old['generator_version'] == new['generator_version']
            and old['profile'] == new['profile']
            and old['seed'] == new['seed']
            and old['scale'] == new['scale']
            and old['period_start'] | string == new['period_start'] | string
        ) -%}
        {%- set continues = same_world
            and new['batch'] >= old['batch']
            and ends | length > old['batch']
            and ends[old['batch']] == old['period_end'] | string -%}
        {%- if not continues -%}
            {{ exceptions.raise_compiler_error(
                "the warehouse " ~ target.path | default(target.schema)
                ~ " was built from the world " ~ cartify_describe_world(old)
                ~ "; " ~ cartify_data_dir() ~ " holds "
                ~ cartify_describe_world(new)
                ~ ", which does not continue it. Run `make build` (it"
                ~ " rebuilds the warehouse from this world), or point"
                ~ " CARTIFY_DUCKDB_PATH at a new file."
            ) }}
        {%- endif -%}
        {%- do adapter.drop_relation(existing) -%}
    {%- endif -%}
    {%- do adapter.create_schema(record) -%}
    {%- do run_query(create_table_as(false, record, raw_sql)) -%}
    {{ return('') }}
{% endmacro %}

{#- Source freshness is measured against the end of the raw world's period
    (the day after its last day, 00:00), or against the day after the var
    as_of_date when it is set: on a live warehouse set it to today. -#}
{% macro cartify_freshness_clock() -%}
    {%- if var('as_of_date') -%}
        {%- set last_day -%}
            cast('{{ var("as_of_date") }}' as {{ dbt.type_timestamp() }})
        {%- endset -%}
    {%- else -%}
        {%- set last_day -%}
            (select cast(period_end as {{ dbt.type_timestamp() }})
             from ({{ cartify_raw_world_sql() }}) as raw_world)
        {%- endset -%}
    {%- endif -%}
    {{ dbt.dateadd('day', 1, last_day) }}
{%- endmacro %}

{#- dbt's collect_freshness with the simulated clock instead of the wall
    clock (overrides dbt's default__collect_freshness for every adapter). -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
    {% call statement(
        'collect_freshness', fetch_result=True, auto_begin=False
    ) -%}
        select
            max({{ loaded_at_field }}) as max_loaded_at,
            {{ cartify_freshness_clock() }} as snapshotted_at
        from {{ source }}
        {% if filter %}
        where {{ filter }}
        {% endif %}
    {%- endcall %}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}

{#- The first id the raw world's manifest has not handed out (`next_ids`),
    e.g. cartify_world_next_id('session_id'): a row with a higher id was not
    delivered by any batch the manifest records. DuckDB reads the manifest;
    a server engine reads raw.world's next_<id> column, which the loader
    writes from the manifest (loader/world.py, D83). -#}
{% macro cartify_world_next_id(id_name) %}
    {{ return(adapter.dispatch('cartify_world_next_id', 'cartify')(id_name)) }}
{% endmacro %}

{% macro default__cartify_world_next_id(id_name) -%}
    (
        select cast(next_{{ id_name }} as {{ dbt.type_bigint() }})
        from {{ api.Relation.create(
            database=target.get('database'), schema='raw', identifier='world'
        ) }}
    )
{%- endmacro %}

{% macro duckdb__cartify_world_next_id(id_name) -%}
    (
        select cast(next_ids.{{ id_name }} as bigint)
        from read_json_auto('{{ cartify_data_dir() }}/manifest.json')
    )
{%- endmacro %}

{#- A row-level rule (macros/cartify_checked_rows.sql): an event row that no
    batch of the manifest delivered and that happened more than the
    incremental lookback (var incremental_lookback_days) before the end of
    the period. An incremental run would never reach back to it, so a
    full refresh and an incremental run would disagree: it is quarantined
    as late_beyond_lookback on both (docs/decisions.md D69). -#}
{% macro cartify_beyond_lookback(id_column, time_column) -%}
    {%- set lookback_start -%}
        {{ dbt.dateadd(
            'day', 1 - var('incremental_lookback_days') | int,
            'cast(raw_world.period_end as ' ~ dbt.type_timestamp() ~ ')'
        ) }}
    {%- endset -%}
    {{ id_column }} >= {{ cartify_world_next_id(id_column) }}
    and {{ time_column }} < (
        select {{ lookback_start }}
        from ({{ cartify_raw_world_sql() }}) as raw_world
    )
{%- endmacro %}
