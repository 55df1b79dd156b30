{#- Implementation of the generic test tests/generic/accepted_range.sql.
    Nulls pass (not (null >= x) is null): test them with not_null. -#}
{% macro default__test_accepted_range(
    model, column_name, min_value, max_value, inclusive
) %}
    {%- if execute and min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error(
            "accepted_range on " ~ model ~ "." ~ column_name
            ~ ": set min_value, max_value or both"
        ) }}
    {%- endif -%}
    {%- set equal_sign = '=' if inclusive else '' -%}
    {%- set out_of_range = [] -%}
    {%- if min_value is not none -%}
        {%- do out_of_range.append(
            'not (' ~ column_name ~ ' >' ~ equal_sign ~ ' ' ~ min_value ~ ')'
        ) -%}
    {%- endif -%}
    {%- if max_value is not none -%}
        {%- do out_of_range.append(
            'not (' ~ column_name ~ ' <' ~ equal_sign ~ ' ' ~ max_value ~ ')'
        ) -%}
    {%- endif %}

select *
from {{ model }}
where {{ out_of_range | join('\n    or ') if out_of_range else '1 = 0' }}
{% endmacro %}
