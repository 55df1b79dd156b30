{#- Every raw session, checked row by row (macros/cartify_checked_rows.sql). -#}
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
) }}
