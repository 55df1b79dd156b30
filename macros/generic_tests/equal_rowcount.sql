{#- Implementation of the generic test tests/generic/equal_rowcount.sql.
    Returns one row, with diff_count > 0, when the counts differ; the test block
    sets fail_calc so that the failure count is that difference. A `where`
    config filters `model` only, not compare_model. -#}
{% macro default__test_equal_rowcount(model, compare_model) %}

with model_rows as (
    select count(*) as row_count
    from {{ model }}
),

compare_model_rows as (
    select count(*) as row_count
    from {{ compare_model }}
),

final as (
    select
        model_rows.row_count as model_row_count,
        compare_model_rows.row_count as compare_model_row_count,
        abs(
            model_rows.row_count - compare_model_rows.row_count
        ) as diff_count
    from model_rows
    cross join compare_model_rows
    where model_rows.row_count <> compare_model_rows.row_count
)

select * from final
{% endmacro %}
