{#- Fails on every row whose column_name lies outside [min_value, max_value]
    (or the open interval when inclusive=false). Body:
    macros/generic_tests/accepted_range.sql. -#}
{% test accepted_range(
    model, column_name, min_value=None, max_value=None, inclusive=True
) %}
    {{ return(adapter.dispatch('test_accepted_range', 'cartify')(
        model, column_name, min_value, max_value, inclusive
    )) }}
{% endtest %}
