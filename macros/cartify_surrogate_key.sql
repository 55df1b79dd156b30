{#- md5 of the fields cast to text, joined with '-', nulls replaced by a
    sentinel so that (a, null) and (null, a) hash differently. Same construction
    as dbt_utils.generate_surrogate_key, apart from the sentinel text. -#}
{% macro cartify_surrogate_key(field_list) %}
    {{ return(
        adapter.dispatch('cartify_surrogate_key', 'cartify')(field_list)
    ) }}
{% endmacro %}

{% macro default__cartify_surrogate_key(field_list) %}
    {%- if field_list is string or field_list is not iterable
        or field_list | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "cartify_surrogate_key expects a non-empty list of column names or "
            ~ "expressions, got: " ~ field_list
        ) }}
    {%- endif -%}
    {%- set null_sentinel = "'_cartify_surrogate_key_null_'" -%}
    {%- set parts = [] -%}
    {%- for field in field_list -%}
        {%- do parts.append(
            "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), "
            ~ null_sentinel ~ ")"
        ) -%}
        {%- if not loop.last -%}
            {%- do parts.append("'-'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
