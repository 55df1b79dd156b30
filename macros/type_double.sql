{#- The 8-byte floating-point type: `double precision` is the SQL-standard
    name (DuckDB, PostgreSQL, Snowflake, Redshift); Spark calls it `double`.
    dbt.type_float() is not it: `float` is a 4-byte real on DuckDB and
    Spark. -#}
{% macro type_double() %}
    {{ return(adapter.dispatch('type_double', 'cartify')()) }}
{% endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
