{#- round(expression, places), half away from zero, for any numeric operand.
    PostgreSQL has round(numeric, int) but no round(double precision, int),
    so there the operand is cast to numeric first (exact: a double's decimal
    expansion is finite). DuckDB and Spark round doubles directly; casting
    to `numeric` there would mean decimal(18,3) (DuckDB) or decimal(10,0)
    (Spark) and lose digits. -#}
{% macro round_number(expression, places) %}
    {{ return(
        adapter.dispatch('round_number', 'cartify')(expression, places)
    ) }}
{% endmacro %}

{% macro default__round_number(expression, places) -%}
    round({{ expression }}, {{ places }})
{%- endmacro %}

{% macro postgres__round_number(expression, places) -%}
    round(cast({{ expression }} as numeric), {{ places }})
{%- endmacro %}
