{#- Every raw campaign, checked row by row
    (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'campaigns',
    codes=['channel', 'objective'],
    rules=[
        ['unknown_value',
         "channel not in ('paid_search', 'paid_social', 'display', 'email')",
         'channel'],
        ['unknown_value',
         "objective not in ('awareness', 'acquisition', 'conversion',"
         ~ " 'retention')",
         'objective'],
        ['out_of_range', 'start_date > end_date', 'start_date'],
        ['out_of_range', 'budget < 0', 'budget'],
    ],
) }}
