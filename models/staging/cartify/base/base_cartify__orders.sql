{#- Every raw order, checked row by row (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'orders',
    codes=['status'],
    rules=[
        ['unknown_value',
         "status not in ('processing', 'shipped', 'delivered', 'cancelled',"
         ~ " 'returned')",
         'status'],
        ['out_of_range', 'subtotal < 0', 'subtotal'],
        ['out_of_range', 'discount_amount < 0', 'discount_amount'],
        ['out_of_range', 'shipping_amount < 0', 'shipping_amount'],
        ['out_of_range', 'tax_amount < 0', 'tax_amount'],
        ['out_of_range', 'discount_amount > subtotal', 'discount_amount'],
        ['inconsistent_total',
         'total_amount <> subtotal - discount_amount + shipping_amount'
         ~ ' + tax_amount',
         'total_amount'],
    ],
) }}
