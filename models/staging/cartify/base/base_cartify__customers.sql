{#- Every raw customer, checked row by row
    (macros/cartify_checked_rows.sql). -#}
{{ cartify_checked_rows(
    'customers',
    codes=['email', 'gender', 'acquisition_channel'],
    upper_codes=['country_code'],
    types={'latitude': 'decimal(9,6)', 'longitude': 'decimal(9,6)'},
    rules=[
        ['unknown_value',
         "gender not in ('female', 'male', 'non_binary')", 'gender'],
        ['unknown_value',
         "acquisition_channel not in ('organic_search', 'paid_search',"
         ~ " 'paid_social', 'display', 'email', 'referral', 'direct')",
         'acquisition_channel'],
        ['unknown_value', 'length(country_code) <> 2', 'country_code'],
        ['out_of_range', 'latitude not between -90 and 90', 'latitude'],
        ['out_of_range', 'longitude not between -180 and 180', 'longitude'],
        ['out_of_range', 'birth_date > cast(signed_up_at as date)',
         'birth_date'],
        ['out_of_range', 'signed_up_at > updated_at', 'signed_up_at'],
    ],
) }}
