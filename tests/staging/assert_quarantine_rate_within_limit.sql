-- A broken feed stops the build loudly instead of shrinking the marts
-- (docs/decisions.md D71): when a raw table's share of quarantined rows is
-- above the var max_quarantine_rate, the test fails with one message naming
-- the table, its rate and its top reasons. Below it, the quarantined rows are
-- counted in data_quality and the build goes on.

{%- set limit = var('max_quarantine_rate') %}
{%- if limit is not number or limit < 0 or limit > 1 %}
    {{ exceptions.raise_compiler_error(
        "var max_quarantine_rate must be a number from 0 to 1, got "
        ~ limit) }}
{%- endif %}

{#- At run time, once data_quality is built (not while a linter compiles). -#}
{%- if execute and load_relation(ref('data_quality')) is not none %}
    {%- set over = run_query(
        "select table_name, rows_quarantined, rows_read, quarantine_rate"
        ~ " from " ~ ref('data_quality')
        ~ " where reason_code = 'total' and quarantine_rate > " ~ limit
        ~ " order by table_name") %}
    {%- if over.rows | length > 0 %}
        {%- set messages = [] %}
        {%- for row in over.rows %}
            {%- set reasons = run_query(
                "select reason_code, rows_quarantined from "
                ~ ref('data_quality')
                ~ " where table_name = '" ~ row['table_name'] ~ "'"
                ~ " and reason_code <> 'total'"
                ~ " order by rows_quarantined desc, reason_code limit 3") %}
            {%- set top = [] %}
            {%- for reason in reasons.rows %}
                {%- do top.append(reason['reason_code'] ~ ' '
                    ~ reason['rows_quarantined']) %}
            {%- endfor %}
            {%- do messages.append(
                row['table_name'] ~ ": " ~ row['rows_quarantined'] ~ " of "
                ~ row['rows_read'] ~ " rows quarantined ("
                ~ '%.1f' | format(100 * row['quarantine_rate'])
                ~ "%), top reasons: " ~ top | join(', ')) %}
        {%- endfor %}
        {{ exceptions.raise_compiler_error(
            "quarantine rate above max_quarantine_rate ("
            ~ '%g' | format(100 * limit) ~ "%) in "
            ~ messages | join('; ')
            ~ ". The feed is broken: see quarantined_rows, or raise the var.") }}
    {%- endif %}
{%- endif %}

select
    table_name,
    rows_quarantined,
    rows_read,
    quarantine_rate
from {{ ref('data_quality') }}
where
    reason_code = 'total'
    and quarantine_rate > {{ limit }}
