{#- The schema of a model, seed or snapshot: its custom schema (`+schema`
    in dbt_project.yml: staging, intermediate, marts, snapshots, reference)
    exactly as written, on every target; the target's own schema when none
    is set. dbt's default would prefix the target schema (`main_marts`), so
    a BI tool could not be pointed at a stable `marts`. docs/decisions.md
    D14. Two environments sharing one database would need distinct
    databases (or a target-aware variant of this macro). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
