{#- Every raw discount, checked row by row
    (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'discounts',
    codes=['discount_type'],
    rules=[
        ['unknown_value', "discount_type not in ('percent', 'fixed')",
         'discount_type'],
        ['out_of_range', 'discount_value < 0', 'discount_value'],
        ['out_of_range', 'valid_from > valid_to', 'valid_from'],
        ['out_of_range',
         "discount_type = 'percent' and discount_value > 100",
         'discount_value'],
    ],
) }}
