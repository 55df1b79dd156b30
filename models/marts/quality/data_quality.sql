{#- One row per raw table and reason code, plus one `total` row per table
    (docs/decisions.md D70). Every raw row is read once and ends as kept
    (published by staging, possibly repaired), a collapsed duplicate or
    quarantined: rows_read = rows_kept + duplicates_collapsed +
    rows_quarantined on every total row (tested). -#}
{%- set tables = cartify_raw_contract().keys() | list %}

with

{% for table_name in tables %}
    base_{{ table_name }} as (

        select source_file, source_row, row_status, is_repaired
        from {{ ref('base_cartify__' ~ table_name) }}

    ),

{% endfor %}
cross_table_rejects as (

    select table_name, source_file, source_row
    from {{ ref('base_cartify__cross_table_rejects') }}

),

quarantined_rows as (

    select table_name, reason_code
    from {{ ref('quarantined_rows') }}

),

read_rejects as (

    select table_name from {{ ref('base_cartify__read_rejects') }}

),

-- Rows the reader returned, per table and outcome at row level; the rows
-- kept at row level but rejected across tables are subtracted below.
rows_read as (

    {%- for table_name in tables %}
        select
            '{{ table_name }}' as table_name,
            count(*) as rows_returned,
            sum(case when base.row_status = 'kept' then 1 else 0 end)
                as rows_kept_row_level,
            sum(
                case
                    when
                        base.row_status = 'kept'
                        and base.is_repaired
                        and cross_table_rejects.source_row is null
                        then 1
                    else 0
                end
            ) as rows_repaired,
            sum(case when base.row_status = 'duplicate' then 1 else 0 end)
                as duplicates_collapsed,
            sum(
                case
                    when
                        base.row_status = 'kept'
                        and cross_table_rejects.source_row is not null
                        then 1
                    else 0
                end
            ) as rows_rejected_across
        from base_{{ table_name }} as base
        left join cross_table_rejects
            on
                cross_table_rejects.table_name = '{{ table_name }}'
                and base.source_file = cross_table_rejects.source_file
                and base.source_row = cross_table_rejects.source_row
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}

),

read_rejects_counted as (

    select table_name, count(*) as rows_rejected_at_read
    from read_rejects
    group by table_name

),

tables_counted as (

    select
        rows_read.table_name,
        rows_read.rows_returned
        + coalesce(read_rejects_counted.rows_rejected_at_read, 0)
            as rows_read,
        rows_read.rows_kept_row_level - rows_read.rows_rejected_across
            as rows_kept,
        rows_read.rows_repaired,
        rows_read.duplicates_collapsed
    from rows_read
    left join read_rejects_counted
        on rows_read.table_name = read_rejects_counted.table_name

),

reasons_counted as (

    select table_name, reason_code, count(*) as rows_quarantined
    from quarantined_rows
    group by table_name, reason_code

),

totals as (

    select
        tables_counted.table_name,
        'total' as reason_code,
        tables_counted.rows_read,
        tables_counted.rows_kept,
        tables_counted.rows_repaired,
        tables_counted.duplicates_collapsed,
        coalesce(sum(reasons_counted.rows_quarantined), 0)
            as rows_quarantined
    from tables_counted
    left join reasons_counted
        on tables_counted.table_name = reasons_counted.table_name
    group by
        tables_counted.table_name,
        tables_counted.rows_read,
        tables_counted.rows_kept,
        tables_counted.rows_repaired,
        tables_counted.duplicates_collapsed

),

per_reason as (

    select
        tables_counted.table_name,
        reasons_counted.reason_code,
        tables_counted.rows_read,
        tables_counted.rows_kept,
        tables_counted.rows_repaired,
        tables_counted.duplicates_collapsed,
        reasons_counted.rows_quarantined
    from reasons_counted
    inner join tables_counted
        on reasons_counted.table_name = tables_counted.table_name

),

unioned as (

    select * from totals
    union all
    select * from per_reason

),

final as (

    select
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(rows_read as {{ dbt.type_bigint() }}) as rows_read,
        cast(rows_kept as {{ dbt.type_bigint() }}) as rows_kept,
        cast(rows_repaired as {{ dbt.type_bigint() }}) as rows_repaired,
        cast(duplicates_collapsed as {{ dbt.type_bigint() }})
            as duplicates_collapsed,
        cast(rows_quarantined as {{ dbt.type_bigint() }}) as rows_quarantined,
        cast(
            {{ safe_divide('rows_quarantined', 'rows_read') }}
            as {{ cartify_type_double() }}
        ) as quarantine_rate
    from unioned

)

select * from final
