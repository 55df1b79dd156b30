{#- Every raw refund, checked row by row (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'refunds',
    codes=['reason'],
    rules=[
        ['unknown_value',
         "reason not in ('damaged', 'wrong_size', 'not_as_described',"
         ~ " 'changed_mind', 'late_delivery')",
         'reason'],
        ['out_of_range', 'refund_amount < 0', 'refund_amount'],
    ],
) }}
