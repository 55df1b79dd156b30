{#- numerator / denominator as a double, or null when the denominator is 0 or
    null (never a division-by-zero error, never 0). The numerator is cast to a
    double first so integer operands do not truncate (Postgres: 7 / 2 = 3). -#}
{% macro safe_divide(numerator, denominator) %}
    {{ return(
        adapter.dispatch('safe_divide', 'cartify')(numerator, denominator)
    ) }}
{% endmacro %}

{#- `double precision` is the SQL-standard name (DuckDB, Postgres, Snowflake,
    Redshift). dbt.type_float() is not used: it renders `float`, which is a
    4-byte real on DuckDB and Spark. -#}
{% macro default__safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double precision)
        / nullif(({{ denominator }}), 0))
{%- endmacro %}

{#- Spark SQL has no `double precision`; its name is `double`. -#}
{% macro spark__safe_divide(numerator, denominator) -%}
    (cast(({{ numerator }}) as double) / nullif(({{ denominator }}), 0))
{%- endmacro %}
