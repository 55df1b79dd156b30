{#- Fails with one row per combination of the columns that occurs more than
    once. Body: macros/generic_tests/unique_combination_of_columns.sql. -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ return(adapter.dispatch(
        'test_unique_combination_of_columns', 'cartify'
    )(model, combination_of_columns)) }}
{% endtest %}
