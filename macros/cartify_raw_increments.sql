{#- Incremental base models (docs/decisions.md D88): an event table's base
    model reads again only the raw files that changed since it last read
    them, when that gives exactly what reading every file gives.

    Each row records the version of its file when it was read
    (source_file_version: the file's size and modification time, as make
    and rsync compare files, and a hash of a Parquet file's footer; listed
    before the read) and the run that read
    it (load_id: dbt's invocation_id, with `:all` when that run read every
    file). An incremental run (cartify_raw_increment_plan) compares the
    files now in raw with the versions held and reads only the files that
    are new or changed, when all of these hold; otherwise it reads every
    file:

      - no held file has gone, and no changed file is empty;
      - no held row meets `read_all_when` (a rule whose outcome depends on
        the world's manifest, e.g. late_beyond_lookback: D69);
      - no key of the changed files (as read now, or as held) is also held
        from an unchanged file: a copy of a key is judged against every
        other copy (conflicting_resend, duplicate), so such a key needs
        every file.

    The rows read then replace, in the post-hook
    cartify_replace_rows_read_again, every held row of the files they come
    from (every held row when the run read every file), in the model's own
    transaction. The raw world must not change during a run (the generator
    writes a batch into another directory and swaps it in). -#}

{#- Whether the base models can read only the changed files, and so are
    incremental: DuckDB on a Parquet world. A CSV world is one file per
    table, rewritten by every batch, and its read-time rejects are stored per
    read (D82); PostgreSQL and Spark read load tables that the loader
    replaces whole. Their base models are tables rebuilt on every run. -#}
{% macro cartify_reads_changed_files() %}
    {{ return(adapter.dispatch('cartify_reads_changed_files', 'cartify')()) }}
{% endmacro %}

{% macro default__cartify_reads_changed_files() %}
    {{ return(false) }}
{% endmacro %}

{% macro duckdb__cartify_reads_changed_files() %}
    {{ return(cartify_raw_format() == 'parquet') }}
{% endmacro %}

{#- The raw Parquet files of `table` now, each with its version, in name
    order: [{'file': 'pageviews-2025-01.parquet', 'version': '...'}]. The
    path is the raw source's (models/staging/cartify/_cartify__sources.yml,
    external_location). read_blob lists a file's size and modification time
    (to the second) without reading it; the version adds a hash of the
    file's footer (per column chunk of each row group: values, sizes,
    minimum, maximum, nulls), so a file rewritten in the same second with the
    same size but other content is still seen as changed. -#}
{% macro cartify_raw_file_versions(table) %}
    {%- if not execute or not cartify_reads_changed_files() -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set path = cartify_data_dir() ~ '/' ~ table ~ '/*.parquet' -%}
    {%- set listing -%}
        with

        files as (
            select
                parse_filename(filename) as file,
                cast(size as varchar) || '@'
                || cast(last_modified as varchar) as stat
            from read_blob('{{ path }}')
        ),

        footers as (
            select
                parse_filename(file_name) as file,
                md5(string_agg(
                    concat_ws(
                        '|', row_group_id, column_id, num_values,
                        total_compressed_size, total_uncompressed_size,
                        stats_min_value, stats_max_value, stats_null_count
                    ),
                    ';' order by row_group_id, column_id
                )) as footer
            from parquet_metadata('{{ path }}')
            group by 1
        )

        select
            files.file,
            files.stat || '#' || coalesce(footers.footer, '') as version
        from files
        left join footers on files.file = footers.file
        order by files.file
    {%- endset -%}
    {%- set files = [] -%}
    {%- for row in run_query(listing).rows -%}
        {%- do files.append({'file': row['file'], 'version': row['version']}) -%}
    {%- endfor -%}
    {{ return(files) }}
{% endmacro %}

{#- What this run of base_cartify__<table> reads:
    {'read_all': true | false, 'files': [names of the files to read],
     'why': why every file is read, 'versions': the files now, with their
     versions (cartify_raw_file_versions)}. `key` is the table's key columns,
    `parsed_key` the SQL parsing each from the raw source (same order). -#}
{% macro cartify_raw_increment_plan(table, key, parsed_key, read_all_when) %}
    {%- set now = cartify_raw_file_versions(table) -%}
    {%- set plan = {
        'read_all': true, 'files': [], 'why': 'a full build', 'versions': now,
    } -%}
    {%- if not execute or not cartify_reads_changed_files()
        or not is_incremental() -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set held_sql -%}
        select
            source_file,
            min(source_file_version) as first_version,
            max(source_file_version) as last_version,
            count(*) filter (
                where {{ read_all_when if read_all_when else 'false' }}
            ) as rows_read_all
        from {{ this }}
        group by source_file
    {%- endset -%}
    {%- set held = {} -%}
    {%- set ns = namespace(rows_read_all=0) -%}
    {%- for row in run_query(held_sql).rows -%}
        {%- do held.update({row['source_file']: row}) -%}
        {%- set ns.rows_read_all = ns.rows_read_all + row['rows_read_all'] -%}
    {%- endfor -%}
    {%- set now_names = now | map(attribute='file') | list -%}
    {%- set changed = [] -%}
    {%- for file in now -%}
        {%- set was = held.get(file['file']) -%}
        {%- if was is none or was['first_version'] != file['version']
            or was['last_version'] != file['version'] -%}
            {%- do changed.append(file['file']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set gone = [] -%}
    {%- for file in held if file not in now_names -%}
        {%- do gone.append(file) -%}
    {%- endfor -%}
    {%- if ns.rows_read_all > 0 -%}
        {%- do plan.update({'why': ns.rows_read_all ~ ' held rows meet '
            ~ read_all_when}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- if gone -%}
        {%- do plan.update({'why': 'gone: ' ~ gone | join(', ')}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- if not changed -%}
        {%- do plan.update({'read_all': false, 'files': [], 'why': ''}) -%}
        {{ return(plan) }}
    {%- endif -%}
    {%- set file_list = cartify_sql_strings(changed) -%}
    {%- set held_key = key | join(', ') -%}
    {%- set check_sql -%}
        with

        read_now as (
            select
                {{ cartify_source_file(table) }} as source_file,
                {%- for column in key %}
                {{ parsed_key[loop.index0] }} as {{ column }}
                {{- ',' if not loop.last }}
                {%- endfor %}
            from {{ source('cartify', table) }}
            where {{ cartify_source_file(table) }} in ({{ file_list }})
        ),

        changed_keys as (
            select {{ held_key }} from read_now
            union
            select {{ held_key }} from {{ this }}
            where source_file in ({{ file_list }})
        ),

        held_elsewhere as (
            select {{ held_key }} from {{ this }}
            where source_file not in ({{ file_list }})
        )

        select
            (select count(distinct source_file) from read_now) as files_now,
            (
                select count(*)
                from changed_keys
                where exists (
                    select 1
                    from held_elsewhere
                    where
                    {%- for column in key %}
                        {{ 'and ' if not loop.first }}held_elsewhere.{{ column }}
                        = changed_keys.{{ column }}
                    {%- endfor %}
                )
            ) as keys_held_elsewhere
    {%- endset -%}
    {%- set check = run_query(check_sql).rows[0] -%}
    {%- if check['files_now'] < changed | length -%}
        {%- do plan.update({'why': 'a changed file is empty'}) -%}
    {%- elif check['keys_held_elsewhere'] > 0 -%}
        {%- do plan.update({'why': check['keys_held_elsewhere']
            ~ ' keys of the changed files are held from other files'}) -%}
    {%- else -%}
        {%- do plan.update({'read_all': false, 'files': changed, 'why': ''}) -%}
    {%- endif -%}
    {{ return(plan) }}
{% endmacro %}

{#- A list of names as SQL string literals: 'a', 'b'. -#}
{% macro cartify_sql_strings(names) -%}
    {%- for name in names -%}
        '{{ name | replace("'", "''") }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The columns an incremental base model adds to each row (see above):
    the version its file had when listed before this run's read, and this
    run's load_id. -#}
{% macro cartify_raw_increment_columns(plan) -%}
    {%- set versions = plan['versions'] -%}
    {%- if versions -%}
        case source_file
            {%- for file in versions %}
            when '{{ file['file'] }}' then '{{ file['version'] }}'
            {%- endfor %}
        end
    {%- else -%}
        cast(null as {{ dbt.type_string() }})
    {%- endif %} as source_file_version,
        cast('{{ invocation_id }}{{ ':all' if plan['read_all'] }}'
            as {{ dbt.type_string() }}) as load_id
{%- endmacro %}

{#- Post-hook of the incremental base models: the rows this run read replace
    the held rows of their files; when it read every file, every held row.
    A no-op after a full build (every row is this run's). -#}
{% macro cartify_replace_rows_read_again() %}
    {%- if not cartify_reads_changed_files() -%}
        {{ return('') }}
    {%- endif -%}
    delete from {{ this }}
    where coalesce(load_id, '') not in (
        '{{ invocation_id }}', '{{ invocation_id }}:all'
    )
    and (
        exists (
            select 1 from {{ this }} where load_id = '{{ invocation_id }}:all'
        )
        or source_file in (
            select source_file from {{ this }}
            where load_id = '{{ invocation_id }}'
        )
    )
{% endmacro %}

{#- dbt's should_full_refresh(), and also true for an incremental base model
    whose table predates its increment columns (a warehouse built before
    D88): rebuilt whole once instead of failing on the schema change. -#}
{% macro should_full_refresh() %}
    {%- if dbt.should_full_refresh() -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if execute and config.get('materialized') == 'incremental'
        and this.identifier.startswith('base_cartify__') -%}
        {%- set existing = adapter.get_relation(
            database=this.database, schema=this.schema,
            identifier=this.identifier) -%}
        {%- if existing is not none -%}
            {%- set names = adapter.get_columns_in_relation(existing)
                | map(attribute='name') | map('lower') | list -%}
            {{ return('load_id' not in names) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(false) }}
{% endmacro %}
