{#- Implementation of the generic test
    tests/generic/unique_combination_of_columns.sql. Nulls compare equal (group
    by semantics): (1, null) twice is a duplicate. -#}
{% macro default__test_unique_combination_of_columns(
    model, combination_of_columns
) %}
    {%- if execute and (
        combination_of_columns is string
        or combination_of_columns is not iterable
        or combination_of_columns | length == 0
    ) -%}
        {{ exceptions.raise_compiler_error(
            "unique_combination_of_columns on " ~ model
            ~ ": combination_of_columns must be a non-empty list of columns, "
            ~ "got: " ~ combination_of_columns
        ) }}
    {%- endif -%}
    {%- set columns_csv = combination_of_columns | join(', ') %}

select
    {{ columns_csv }},
    count(*) as n_records
from {{ model }}
group by {{ columns_csv }}
having count(*) > 1
{% endmacro %}
