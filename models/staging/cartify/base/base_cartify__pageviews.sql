{#- Every raw pageview, checked row by row (macros/cartify_checked_rows.sql).
    Incremental on DuckDB with a Parquet world: a run reads again only the
    raw files that changed (macros/cartify_raw_increments.sql,
    docs/decisions.md D88). -#}
{{ config(
    materialized='incremental' if cartify_reads_changed_files() else 'table',
    incremental_strategy='append',
    post_hook="{{ cartify_replace_rows_read_again() }}",
) }}

{{ cartify_checked_rows('pageviews', incremental=true) }}
