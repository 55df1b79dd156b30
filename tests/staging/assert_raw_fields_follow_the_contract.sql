-- No silent loss (docs/decisions.md D51, D66): every raw field that does not
-- have the contract's exact form (macros/strict_parse.sql) puts its row in
-- quarantine with that reason. The contract check is made here on the raw
-- source, independently of staging, and counted per table and reason (the
-- first failing field of a row, in file order, as staging reports it);
-- a row is returned when the count differs from the rows quarantined_rows
-- publishes for that table and reason. It reads quarantined_rows, not the
-- fourteen base models: a test of the base models would hold back every
-- model after them until its full re-parse of the raw files ended
-- (docs/decisions.md D84). A dirty feed no longer fails the
-- build: its rows are quarantined and counted (data_quality), and the build
-- fails only above the var max_quarantine_rate.
--
-- A code check (tag code_check, docs/decisions.md D86): staging and this test
-- apply the same macros to the same rows, so only a change to the code can
-- make them disagree. `make test` (CI) runs it, on the dirty worlds too; a
-- production run (the benchmark, the Dagster job) leaves it out.

{{ config(tags=['code_check']) }}

{%- set contract = cartify_raw_contract() %}

with

{% for table, columns in contract.items() %}
    {{ table }}_errors as (

        select
            '{{ table }}' as table_name,
            coalesce(
                {%- for column in columns %}
                    {{ cartify_parse_error(column[0], column[1], column[2]) }},
                {%- endfor %}
                null
            ) as reason_code
        from {{ source('cartify', table) }}

    ),

{% endfor %}

errors as (

    {% for table in contract %}
        select
            table_name,
            reason_code,
            count(*) as raw_rows_with_reason
        from {{ table }}_errors
        where reason_code is not null
        group by table_name, reason_code
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

quarantined as (

    select
        table_name,
        reason_code,
        count(*) as quarantined_rows_with_reason
    from {{ ref('quarantined_rows') }}
    where
        reason_code in (
            'missing_required', 'bad_integer', 'bad_money', 'bad_double',
            'bad_date', 'bad_timestamp', 'bad_boolean'
        )
    group by table_name, reason_code

),

final as (

    select
        coalesce(errors.table_name, quarantined.table_name) as table_name,
        coalesce(errors.reason_code, quarantined.reason_code) as reason_code,
        coalesce(errors.raw_rows_with_reason, 0) as raw_rows_with_reason,
        coalesce(quarantined.quarantined_rows_with_reason, 0)
            as quarantined_rows_with_reason
    from errors
    full outer join quarantined
        on
            errors.table_name = quarantined.table_name
            and errors.reason_code = quarantined.reason_code

)

select *
from final
where raw_rows_with_reason <> quarantined_rows_with_reason
