{#- Fails on every row where the SQL `expression` is false. With column_name (a
    column-level test) the expression is appended to the column:
    `column_name ~ ' ' ~ expression`, e.g. `>= 0`. Body:
    macros/generic_tests/expression_is_true.sql. -#}
{% test expression_is_true(model, expression, column_name=None) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'cartify')(
        model, expression, column_name
    )) }}
{% endtest %}
