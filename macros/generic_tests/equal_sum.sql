{#- Implementation of the generic test tests/generic/equal_sum.sql.
    compare_column defaults to column_name. Comparison is exact: fine for
    decimals (money); for doubles round both sides in the column expressions,
    e.g. column_name: "round(amount, 2)". A `where` config filters `model` only.
-#}
{% macro default__test_equal_sum(
    model, column_name, compare_model, compare_column
) %}
    {%- if execute and column_name is none -%}
        {{ exceptions.raise_compiler_error(
            "equal_sum on " ~ model ~ ": column_name is required"
        ) }}
    {%- endif -%}
    {%- set compare_column = (
        compare_column if compare_column is not none else column_name
    ) %}

with model_total as (
    select coalesce(sum({{ column_name }}), 0) as total
    from {{ model }}
),

compare_model_total as (
    select coalesce(sum({{ compare_column }}), 0) as total
    from {{ compare_model }}
),

final as (
    select
        model_total.total as model_total,
        compare_model_total.total as compare_model_total,
        model_total.total - compare_model_total.total as difference
    from model_total
    cross join compare_model_total
    where model_total.total <> compare_model_total.total
)

select * from final
{% endmacro %}
