{#- Fails when model and compare_model have different row counts; the failure
    count is the absolute difference in rows. Body:
    macros/generic_tests/equal_rowcount.sql. -#}
{% test equal_rowcount(model, compare_model) %}
    {{ config(fail_calc='coalesce(sum(diff_count), 0)') }}
    {{ return(adapter.dispatch('test_equal_rowcount', 'cartify')(
        model, compare_model
    )) }}
{% endtest %}
