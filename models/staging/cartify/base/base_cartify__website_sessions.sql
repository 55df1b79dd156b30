{#- Every raw session, checked row by row (macros/cartify_checked_rows.sql).
    Incremental on DuckDB with a Parquet world: a run reads again only the
    raw files that changed (macros/cartify_raw_increments.sql,
    docs/decisions.md D88); every file
    when a held row is late beyond the lookback or has an id the manifest
    has not handed out, since that rule's outcome moves with the manifest
    (D69). -#}
{{ config(
    materialized='incremental' if cartify_reads_changed_files() else 'table',
    incremental_strategy='append',
    post_hook="{{ cartify_replace_rows_read_again() }}",
) }}

{{ cartify_checked_rows(
    'website_sessions',
    codes=['utm_source', 'utm_medium', 'device_type'],
    rules=[
        ['unknown_value',
         "utm_source not in ('google', 'bing', 'meta', 'tiktok',"
         ~ " 'newsletter')",
         'utm_source'],
        ['unknown_value',
         "utm_medium not in ('cpc', 'paid_social', 'display', 'email')",
         'utm_medium'],
        ['unknown_value', "device_type not in ('desktop', 'mobile', 'tablet')",
         'device_type'],
        ['inconsistent_value',
         '(utm_source is null) <> (utm_medium is null)', 'utm_medium'],
        ['late_beyond_lookback',
         cartify_beyond_lookback('session_id', 'started_at'), 'started_at'],
    ],
    incremental=true,
    read_all_when="reason_code = 'late_beyond_lookback' or session_id >= "
        ~ cartify_world_next_id('session_id'),
) }}
