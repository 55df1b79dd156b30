{#- Every raw review, checked row by row (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'reviews',
    rules=[['out_of_range', 'rating not between 1 and 5', 'rating']],
) }}
