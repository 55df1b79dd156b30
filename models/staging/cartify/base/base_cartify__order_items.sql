{#- Every raw order item, checked row by row
    (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'order_items',
    codes=['status'],
    rules=[
        ['unknown_value',
         "status not in ('processing', 'shipped', 'delivered', 'cancelled',"
         ~ " 'returned')",
         'status'],
        ['out_of_range', 'quantity < 1', 'quantity'],
        ['out_of_range', 'unit_price < 0', 'unit_price'],
        ['out_of_range', 'unit_cost < 0', 'unit_cost'],
        ['inconsistent_status',
         "(returned_at is not null) <> (status = 'returned')", 'returned_at'],
    ],
) }}
