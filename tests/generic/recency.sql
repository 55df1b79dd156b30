{#- Fails (one row) when the latest `field` is older than `interval` `datepart`s
    before `as_of`, or when there is no non-null `field` at all. Body:
    macros/generic_tests/recency.sql. -#}
{% test recency(model, field, datepart, interval, as_of=None) %}
    {{ return(adapter.dispatch('test_recency', 'cartify')(
        model, field, datepart, interval, as_of
    )) }}
{% endtest %}
