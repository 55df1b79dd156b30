{#- cast(expression as decimal(precision, scale)) for a floating-point
    expression, rounded the same on every engine. A double is first cast to
    decimal(38, 12), then to the target scale. PostgreSQL converts a double
    to numeric through its 15-digit text form, DuckDB and Spark from the
    binary value: for 109.82 / 184.96 (= 0.59375 exactly, but
    0.593749999999999978 as a double) one cast gives 0.5938 on PostgreSQL
    and 0.5937 on DuckDB. Through 12 places all three see 0.593750000000
    and round it half away from zero to 0.5938, the decimal answer. Values
    must be below 10^26 (the 26 integer digits of decimal(38, 12)). -#}
{% macro cast_to_decimal(expression, precision, scale) %}
    {{ return(adapter.dispatch('cast_to_decimal', 'cartify')(
        expression, precision, scale
    )) }}
{% endmacro %}

{% macro default__cast_to_decimal(expression, precision, scale) -%}
    cast(cast({{ expression }} as decimal(38, 12))
        as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}
