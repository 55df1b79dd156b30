{#- dbt's is_incremental(), except for a Spark model without partition_by,
    where it is false: the model computes every row and insert_overwrite
    replaces the whole table. Plain Parquet tables (no Delta/Iceberg/Hudi
    here) can neither MERGE nor DELETE, so an upsert by key is impossible;
    only the models partitioned on Spark (dbt_project.yml: fct_orders,
    fct_order_items, fct_sessions) run incrementally there, replacing the
    partitions they touch (macros/spark_partitions.sql, docs/decisions.md
    D27, D61). -#}
{% macro is_incremental() %}
    {%- if target.type == 'spark' and not config.get('partition_by') -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(dbt.is_incremental()) }}
{% endmacro %}
