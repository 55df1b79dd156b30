{#- Every raw row staging does not publish, with where it was and why
    (docs/decisions.md D65-D68): rows a table's own checks reject
    (base_cartify__<table>), rows rejected for another table's sake
    (base_cartify__cross_table_rejects) and lines the reader could not split
    or decode (raw.read_rejects__<table>, cartify_read_rejects). Exact duplicates are
    not here: they are collapsed and counted in data_quality. -#}
{#- A table, not the staging default view: data_quality and the accounting
    test of every staging model read it. -#}
{{ config(materialized='table') }}
{%- set contract = cartify_raw_contract() %}
{%- set tables = contract.keys() | list %}

with

{% for table_name in tables %}
    base_{{ table_name }} as (

        select
            source_file,
            source_row,
            row_key,
            row_status,
            reason_code,
            reason_column,
            {%- for column in contract[table_name] %}
                {{ column[0] }},
            {%- endfor %}
            raw_text
        from {{ ref('base_cartify__' ~ table_name) }}
        where row_status <> 'duplicate'

    ),

{% endfor %}
cross_table_rejects as (

    select * from {{ ref('base_cartify__cross_table_rejects') }}

),

read_rejects as (

    select table_name, file_name, line, reason_code, raw_text
    from {{ ref('base_cartify__read_rejects') }}

),

row_level as (

    {%- for table_name in tables %}
        select
            '{{ table_name }}' as table_name,
            base_{{ table_name }}.source_file,
            base_{{ table_name }}.source_row,
            coalesce(
                base_{{ table_name }}.row_key,
                {{ cartify_typed_key_text(
                    table_name, relation='base_' ~ table_name
                ) }}
            ) as row_key,
            coalesce(
                base_{{ table_name }}.reason_code,
                cross_table_rejects.reason_code
            ) as reason_code,
            case
                when base_{{ table_name }}.reason_code is not null
                    then base_{{ table_name }}.reason_column
                else cross_table_rejects.reason_column
            end as reason_column,
            {%- set fields = [] %}
            {%- for column in contract[table_name] %}
                {%- if not loop.first %}{% do fields.append("','") %}{% endif %}
                {%- do fields.append("coalesce(cast(base_" ~ table_name ~ "."
                    ~ column[0] ~ " as " ~ dbt.type_string() ~ "), '')") %}
            {%- endfor %}
            -- a row its own checks kept: its fields as parsed
            coalesce(
                base_{{ table_name }}.raw_text, {{ dbt.concat(fields) }}
            ) as raw_text
        from base_{{ table_name }}
        left join cross_table_rejects
            on
                cross_table_rejects.table_name = '{{ table_name }}'
                and base_{{ table_name }}.source_file
                = cross_table_rejects.source_file
                and base_{{ table_name }}.source_row
                = cross_table_rejects.source_row
        where
            base_{{ table_name }}.row_status = 'quarantined'
            or cross_table_rejects.reason_code is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

-- A rejected line's place among the rows read: the rows before it.
read_rejects_ranked as (

    select
        *,
        line - 1 - row_number() over (
            partition by table_name, file_name order by line
        ) as rows_read_before
    from read_rejects

),

-- The file line of a row read: its ordinal, the header, and the lines
-- rejected before it (rejected lines are single lines). A Parquet file has
-- no header and no rejected lines: its row within the file (D78).
row_level_located as (

    select
        row_level.table_name,
        row_level.source_file,
        row_level.source_row,
        case
            when row_level.source_file like '%.parquet'
                then row_level.source_row
            else row_level.source_row + 1 + count(read_rejects_ranked.line)
        end as file_line,
        row_level.row_key,
        row_level.reason_code,
        row_level.reason_column,
        row_level.raw_text
    from row_level
    left join read_rejects_ranked
        on
            row_level.table_name = read_rejects_ranked.table_name
            and row_level.source_file = read_rejects_ranked.file_name
            and read_rejects_ranked.rows_read_before < row_level.source_row
    group by
        row_level.table_name,
        row_level.source_file,
        row_level.source_row,
        row_level.row_key,
        row_level.reason_code,
        row_level.reason_column,
        row_level.raw_text

),

read_level as (

    select
        table_name,
        file_name as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_row,
        line as file_line,
        case
            when table_name = 'ad_daily_stats'
                then {{ dbt.concat([
                    dbt.split_part('raw_text', "','", 1), "'|'",
                    dbt.split_part('raw_text', "','", 2),
                ]) }}
            else {{ dbt.split_part('raw_text', "','", 1) }}
        end as row_key,
        reason_code,
        cast(null as {{ dbt.type_string() }}) as reason_column,
        raw_text
    from read_rejects

),

final as (

    select
        table_name,
        source_file,
        source_row,
        file_line,
        row_key,
        reason_code,
        reason_column,
        raw_text
    from row_level_located
    union all
    select
        table_name,
        source_file,
        source_row,
        file_line,
        row_key,
        reason_code,
        reason_column,
        raw_text
    from read_level

)

select * from final
