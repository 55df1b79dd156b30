-- Staging deduplicates but never loses or invents a key: for every raw table,
-- the distinct primary keys that cast to integers equal the staging rows.

{%- set tables = [
    ('customers', ['customer_id'], 'stg_cartify__customers'),
    ('products', ['product_id'], 'stg_cartify__products'),
    ('inventory', ['product_id'], 'stg_cartify__inventory'),
    ('campaigns', ['campaign_id'], 'stg_cartify__campaigns'),
    ('ads', ['ad_id'], 'stg_cartify__ads'),
    ('ad_daily_stats', ['ad_id', 'stat_date'], 'stg_cartify__ad_daily_stats'),
    ('discounts', ['discount_id'], 'stg_cartify__discounts'),
    ('website_sessions', ['session_id'], 'stg_cartify__sessions'),
    ('pageviews', ['pageview_id'], 'stg_cartify__pageviews'),
    ('orders', ['order_id'], 'stg_cartify__orders'),
    ('order_items', ['order_item_id'], 'stg_cartify__order_items'),
    ('payments', ['payment_id'], 'stg_cartify__payments'),
    ('refunds', ['refund_id'], 'stg_cartify__refunds'),
    ('reviews', ['review_id'], 'stg_cartify__reviews'),
] %}

with

{% for table_name, key_columns, staging_model in tables %}
{{ table_name }}_counts as (

    select
        '{{ table_name }}' as table_name,
        (
            select count(*)
            from (
                select distinct
                    {%- for key_column in key_columns %}
                    {%- set key_type = 'date' if key_column == 'stat_date'
                        else dbt.type_int() %}
                    {{ dbt.safe_cast(key_column, key_type) }}
                        as {{ key_column }}{{ ',' if not loop.last }}
                    {%- endfor %}
                from {{ source('raw', table_name) }}
            ) as raw_keys
            where
                {%- for key_column in key_columns %}
                {{ key_column }} is not null{{ ' and' if not loop.last }}
                {%- endfor %}
        ) as raw_key_count,
        (
            select count(*) from {{ ref(staging_model) }}
        ) as staging_row_count

),

{% endfor %}

all_counts as (

    {% for table_name, key_columns, staging_model in tables %}
    select * from {{ table_name }}_counts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from all_counts
where raw_key_count <> staging_row_count
