{#- Implementation of the generic test tests/generic/expression_is_true.sql.
    A row whose expression is null is not returned (not(null) is null), as in
    dbt_utils: pair with not_null where nulls matter. -#}
{% macro default__test_expression_is_true(model, expression, column_name) %}
    {%- set condition = (
        column_name ~ ' ' ~ expression if column_name is not none
        else expression
    ) %}

select *
from {{ model }}
where not ({{ condition }})
{% endmacro %}
