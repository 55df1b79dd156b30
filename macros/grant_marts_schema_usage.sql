{#- on-run-end: the roles that dbt `grants` lets select from the marts
    (dbt_project.yml, models.cartify.marts.+grants) also need USAGE on the
    marts' schema, which dbt's grants do not give. Only the marts' schema:
    staging, intermediate and raw stay refused. Engines without grants
    (DuckDB, local Spark): nothing. -#}
{% macro grant_marts_schema_usage() %}
    {{ return(adapter.dispatch('grant_marts_schema_usage', 'cartify')()) }}
{% endmacro %}

{% macro default__grant_marts_schema_usage() -%}
    select 1
{%- endmacro %}

{% macro postgres__grant_marts_schema_usage() -%}
    {%- set statements = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.fqn[1] == 'marts' -%}
            {%- for role in node.config.grants.get('select', []) -%}
                {%- set statement = 'grant usage on schema '
                    ~ adapter.quote(node.schema) ~ ' to '
                    ~ adapter.quote(role) -%}
                {%- if statement not in statements -%}
                    {%- do statements.append(statement) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ statements | join(';\n') if statements else 'select 1' }}
{%- endmacro %}
