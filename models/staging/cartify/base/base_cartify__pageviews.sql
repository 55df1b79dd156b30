{#- Every raw pageview, checked row by row
    (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows('pageviews') }}
