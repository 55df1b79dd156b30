{#- Every raw inventory row, checked row by row
    (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'inventory',
    rules=[
        ['out_of_range', 'stock_on_hand < 0', 'stock_on_hand'],
        ['out_of_range', 'reorder_point < 0', 'reorder_point'],
    ],
) }}
