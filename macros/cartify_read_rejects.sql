{#- Read-time rejects (docs/decisions.md D52, D82): the lines a CSV reader
    cannot split into the contract's columns (a row cut short, too many
    fields, an unterminated quote) or cannot decode (bytes that are not
    UTF-8). They never become rows, so the base models cannot check them;
    the reader stores them while the base model reads its file.

    cartify_store_read_rejects()   post-hook of every base_cartify__<table>
                                   model: the lines its own read of the raw
                                   file rejected, into raw.read_rejects__<table>
                                   (replaced on every build, so they always
                                   belong to the rows beside them)
    cartify_read_rejects()         every table's stored rejects: table_name,
                                   file_name, line (1 = the header),
                                   reason_code (truncated_row, malformed_row,
                                   bad_encoding), raw_text (the line as read);
                                   the models read them from the table
                                   base_cartify__read_rejects (D92), the test
                                   raw_rows_accounted_for here

    DuckDB's reader (`store_rejects = true` in the source's
    external_location) lists a scan's faulty lines in the connection's
    temporary tables reject_scans and reject_errors, and the post-hook runs
    on the model's own connection. PostgreSQL's COPY and Spark's CSV reader
    would fail on such a line, so on those engines the loader reads each CSV
    with DuckDB and the same reader options, loads only the rows it returned
    (in file order) and writes the same rejects into
    raw.read_rejects__<table> (loader/read_rejects.py, D83): the post-hook
    stores nothing there, and cartify_read_rejects() reads the loader's
    tables. A Parquet file has no line a reader rejects (its tables are
    empty). -#}

{% macro cartify_read_rejects_relation(table) %}
    {{ return(api.Relation.create(
        database=target.get('database'), schema='raw',
        identifier='read_rejects__' ~ table, type='table',
    )) }}
{% endmacro %}

{#- on-run-start: two threads creating the schema at once conflict. -#}
{% macro cartify_create_read_rejects_schema() %}
    {%- if execute and target.type == 'duckdb' -%}
    create schema if not exists
        {{ cartify_read_rejects_relation('x').include(identifier=false) }}
    {%- endif -%}
{% endmacro %}

{% macro cartify_store_read_rejects() %}
    {%- set table = this.identifier | replace('base_cartify__', '') -%}
    {%- if table not in cartify_raw_contract() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('cartify_store_read_rejects', 'cartify')(table)) }}
{% endmacro %}

{% macro default__cartify_store_read_rejects(table) %}
{% endmacro %}

{% macro duckdb__cartify_store_read_rejects(table) %}
    create or replace table {{ cartify_read_rejects_relation(table) }} as
    {%- if cartify_raw_format() == 'csv' %}
    with

    -- this model's read of the file: the connection's latest scan of it
    this_scan as (

        select max(scan_id) as scan_id
        from reject_scans
        where parse_filename(file_path) = '{{ table }}.csv'

    ),

    -- the reader may report a line once per field it is missing
    lines as (

        select
            cast(errors.line as bigint) as line,
            arg_min(cast(errors.error_type as varchar), errors.column_idx)
                as error_type,
            arg_min(errors.csv_line, errors.column_idx) as raw_text
        from reject_errors as errors
        inner join this_scan on errors.scan_id = this_scan.scan_id
        group by errors.line

    )

    select
        '{{ table }}' as table_name,
        '{{ table }}.csv' as file_name,
        line,
        case
            when error_type = 'MISSING COLUMNS' then 'truncated_row'
            when error_type in ('INVALID ENCODING', 'INVALID UNICODE')
                then 'bad_encoding'
            else 'malformed_row'
        end as reason_code,
        raw_text
    from lines
    {%- else %}
    select
        cast(null as varchar) as table_name,
        cast(null as varchar) as file_name,
        cast(null as bigint) as line,
        cast(null as varchar) as reason_code,
        cast(null as varchar) as raw_text
    where false
    {%- endif %}
{% endmacro %}

{% macro cartify_read_rejects() %}
    {{ return(adapter.dispatch('cartify_read_rejects', 'cartify')()) }}
{% endmacro %}

{#- PostgreSQL, Spark: the loader (python -m loader) creates all fourteen
    raw.read_rejects__<table>, empty when the file had no rejected line, so
    no lookup by every reader (one catalog listing each on Spark). -#}
{% macro default__cartify_read_rejects() %}
    {%- set stored = [] -%}
    {%- for table in cartify_raw_contract() -%}
        {%- do stored.append(cartify_read_rejects_relation(table)) -%}
    {%- endfor -%}
    {{ cartify_union_read_rejects(stored) }}
{% endmacro %}

{% macro cartify_no_read_rejects() %}
    select
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as file_name,
        cast(null as {{ dbt.type_bigint() }}) as line,
        cast(null as {{ dbt.type_string() }}) as reason_code,
        cast(null as {{ dbt.type_string() }}) as raw_text
    where 1 = 0
{% endmacro %}

{% macro duckdb__cartify_read_rejects() %}
    {%- set stored = [] -%}
    {%- if execute -%}
        {%- for table in cartify_raw_contract() -%}
            {%- set relation = adapter.get_relation(
                database=target.database, schema='raw',
                identifier='read_rejects__' ~ table,
            ) -%}
            {%- if relation is not none -%}
                {%- do stored.append(relation) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ cartify_union_read_rejects(stored) }}
{% endmacro %}

{#- The rows of the read_rejects relations (maybe none), typed alike. -#}
{% macro cartify_union_read_rejects(relations) %}
    {%- for relation in relations %}
    select
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(file_name as {{ dbt.type_string() }}) as file_name,
        cast(line as {{ dbt.type_bigint() }}) as line,
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(raw_text as {{ dbt.type_string() }}) as raw_text
    from {{ relation }}
    {{ 'union all' if not loop.last }}
    {%- else %}
    {{ cartify_no_read_rejects() }}
    {%- endfor %}
{% endmacro %}
