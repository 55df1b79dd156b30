{#- The lines the readers of every raw file rejected (macros/
    cartify_read_rejects.sql: DuckDB's base models store their own read's,
    the loader stores PostgreSQL's and Spark's), as one table: read once by
    the cross-table checks, which look up their keys a dozen times. As a CTE
    over the fourteen stored relations, Spark copied it at every reference:
    2,703 file scans in that model's plan (D92). Built after every base
    model, whose post-hook stores the lines on DuckDB. -#}
{%- for table in cartify_raw_contract() %}
-- depends_on: {{ ref('base_cartify__' ~ table) }}
{%- endfor %}

{{ cartify_read_rejects() }}
