{#- Every raw ad, checked row by row (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'ads',
    codes=['platform', 'ad_format', 'placement', 'status'],
    rules=[
        ['unknown_value',
         "platform not in ('google', 'bing', 'meta', 'tiktok', 'newsletter')",
         'platform'],
        ['unknown_value',
         "ad_format not in ('text', 'image', 'video', 'carousel',"
         ~ " 'newsletter')",
         'ad_format'],
        ['unknown_value',
         "placement not in ('search', 'shopping', 'display_network',"
         ~ " 'feed', 'stories', 'inbox')",
         'placement'],
        ['unknown_value', "status not in ('active', 'paused', 'ended')",
         'status'],
    ],
) }}
