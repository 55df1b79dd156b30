{#- Every raw product, checked row by row (macros/cartify_checked_rows.sql).
    The category is a display label: trimmed, its case kept. -#}
{{ cartify_checked_rows(
    'products',
    rules=[
        ['unknown_value',
         "category not in ('Accessories', 'Beauty', 'Books', 'Clothing',"
         ~ " 'Electronics', 'Footwear', 'Garden', 'Grocery',"
         ~ " 'Home & Kitchen', 'Sports & Outdoors', 'Toys & Games')",
         'category'],
        ['out_of_range', 'cost < 0', 'cost'],
        ['out_of_range', 'retail_price <= 0', 'retail_price'],
        ['out_of_range', 'cost >= retail_price', 'cost'],
    ],
) }}
