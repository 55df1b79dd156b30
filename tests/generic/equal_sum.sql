{#- Fails (one row) when sum(column_name) over model differs from
    sum(compare_column) over compare_model (null sums count as 0). Body:
    macros/generic_tests/equal_sum.sql. -#}
{% test equal_sum(model, column_name, compare_model, compare_column=None) %}
    {{ return(adapter.dispatch('test_equal_sum', 'cartify')(
        model, column_name, compare_model, compare_column
    )) }}
{% endtest %}
