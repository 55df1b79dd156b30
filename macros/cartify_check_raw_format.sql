{#- Which format the raw source reads on DuckDB, and a check that it is the
    format of the raw world (docs/decisions.md D73). The source definition
    (models/staging/cartify/_cartify__sources.yml) reads CSV or Parquet as
    the env var CARTIFY_RAW_FORMAT, else the var cartify_raw_format, says;
    manifest.json beside the files says which format the generator wrote.
    loader.publish sets the env var from the manifest, so `make build` never
    meets the error; a hand-run dbt on a Parquet world does, with the fix. -#}

{% macro cartify_raw_format() -%}
    {{ return(env_var("CARTIFY_RAW_FORMAT", var("cartify_raw_format"))) }}
{%- endmacro %}

{% macro cartify_check_raw_format() %}
    {%- if not execute or target.type != 'duckdb' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set configured = cartify_raw_format() -%}
    {%- if configured not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error(
            "raw format " ~ configured ~ " (CARTIFY_RAW_FORMAT or var "
            ~ "cartify_raw_format): expected csv or parquet"
        ) }}
    {%- endif -%}
    {%- set manifest = cartify_data_dir() ~ '/manifest.json' -%}
    {#- No manifest: nothing to compare with (the source read says what is
        missing). A manifest without "format" is a CSV world. -#}
    {%- set found = run_query(
        "select count(*) from glob('" ~ manifest ~ "')"
    ).columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set written = run_query(
        "select coalesce(format, 'csv') from read_json('" ~ manifest
        ~ "', columns = {format: 'varchar'})"
    ).columns[0].values()[0] -%}
    {%- if written != configured -%}
        {{ exceptions.raise_compiler_error(
            cartify_data_dir() ~ " holds a " ~ written ~ " world (manifest.json)"
            ~ " but the raw source reads " ~ configured ~ ": set "
            ~ "CARTIFY_RAW_FORMAT=" ~ written ~ " (or --vars '{cartify_raw_format: "
            ~ written ~ "}')"
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
