{#- Every raw payment, checked row by row (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'payments',
    codes=['payment_method', 'status'],
    rules=[
        ['unknown_value',
         "payment_method not in ('card', 'paypal', 'apple_pay', 'klarna',"
         ~ " 'gift_card')",
         'payment_method'],
        ['unknown_value', "status not in ('captured', 'voided')", 'status'],
    ],
) }}
