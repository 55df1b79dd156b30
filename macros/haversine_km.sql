{#- Great-circle distance in kilometres between two points given in decimal
    degrees, on a sphere of radius 6371 km (the mean earth radius); null when
    any input is null.

    asin's argument is capped at 1 because floating-point rounding can push it
    just above 1 for (near-)antipodal points. The cap is a case expression, not
    least(1, ...): least() skips nulls on DuckDB, Postgres and Spark, so
    least(1, null) = 1 and a point with no coordinates would come out
    20015 km (pi * 6371) away instead of null. -#}
{% macro haversine_km(lat1, lon1, lat2, lon2) %}
    {{ return(
        adapter.dispatch('haversine_km', 'cartify')(lat1, lon1, lat2, lon2)
    ) }}
{% endmacro %}

{% macro default__haversine_km(lat1, lon1, lat2, lon2) -%}
    {%- set asin_argument -%}
    sqrt(
            power(sin(radians(({{ lat2 }}) - ({{ lat1 }})) / 2), 2)
            + cos(radians({{ lat1 }})) * cos(radians({{ lat2 }}))
            * power(sin(radians(({{ lon2 }}) - ({{ lon1 }})) / 2), 2)
        )
    {%- endset -%}
    (2 * 6371 * asin(
        case
            when {{ asin_argument }} > 1 then 1
            else {{ asin_argument }}
        end
    ))
{%- endmacro %}
