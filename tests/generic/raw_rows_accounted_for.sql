{#- No raw row is lost or counted twice between the raw file and staging
    (docs/decisions.md D70): the raw rows of source_table (the rows the
    reader returns, every field read, plus the lines it rejected) equal the
    rows of the staging model + the exact duplicates collapsed + the rows
    in quarantined_rows. Fails with one row holding the four counts. On an
    incremental staging model it also proves that the incremental runs
    hold exactly what a full refresh would. -#}
{% test raw_rows_accounted_for(model, source_table) %}

with

raw_rows as (

    select count(*) as row_count
    from {{ source('cartify', source_table) }}
    where {{ cartify_every_field_read(source_table) }}

),

read_rejects as (

    select count(*) as row_count
    from ({{ cartify_read_rejects() }}) as read_rejects
    where table_name = '{{ source_table }}'

),

kept as (

    select count(*) as row_count from {{ model }}

),

duplicates as (

    select count(*) as row_count
    from {{ ref('base_cartify__' ~ source_table) }}
    where row_status = 'duplicate'

),

quarantined as (

    select count(*) as row_count
    from {{ ref('quarantined_rows') }}
    where table_name = '{{ source_table }}'

),

final as (

    select
        raw_rows.row_count + read_rejects.row_count as raw_row_count,
        kept.row_count as kept_row_count,
        duplicates.row_count as duplicate_row_count,
        quarantined.row_count as quarantined_row_count
    from raw_rows
    cross join read_rejects
    cross join kept
    cross join duplicates
    cross join quarantined

)

select *
from final
where
    raw_row_count
    <> kept_row_count + duplicate_row_count + quarantined_row_count

{% endtest %}
