{#- Every raw ad-day, checked row by row (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'ad_daily_stats',
    rules=[
        ['out_of_range', 'impressions < 0', 'impressions'],
        ['out_of_range', 'reach < 0', 'reach'],
        ['out_of_range', 'clicks < 0', 'clicks'],
        ['out_of_range', 'leads < 0', 'leads'],
        ['out_of_range', 'spend < 0', 'spend'],
        ['out_of_range', 'reach > impressions', 'reach'],
        ['out_of_range', 'clicks > impressions', 'impressions'],
        ['out_of_range', 'leads > clicks', 'leads'],
    ],
) }}
