-- Staging deduplicates but never loses or invents a key, and never drops a
-- raw row silently. For every raw table:
--   * the distinct primary keys of the raw rows equal the staging rows, and
--   * no raw row has a missing key (null, empty or blank): staging filters
--     such rows out (`where <key> is not null`), so they are counted here.
-- A key that is present but not a number (or date) fails the cast, here and
-- in staging: dbt.safe_cast is a plain cast on DuckDB and Postgres, so the
-- build stops with the warehouse's conversion error (docs/decisions.md).
-- Holds for incremental staging models too: the raw files are the complete
-- current state, and the incremental models hold every key of it.
-- One scan of each raw file: keys grouped, then counted.

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
{{ table_name }}_keys as (

    select
        {%- for key_column in key_columns %}
        {%- set key_type = 'date' if key_column == 'stat_date'
            else dbt.type_int() %}
        {{ dbt.safe_cast("nullif(trim(" ~ key_column ~ "), '')", key_type) }}
            as {{ key_column }},
        {%- endfor %}
        count(*) as raw_row_count

    from {{ source('cartify', table_name) }}
    group by
        {%- for key_column in key_columns %}
        {%- set key_type = 'date' if key_column == 'stat_date'
            else dbt.type_int() %}
        {{ dbt.safe_cast("nullif(trim(" ~ key_column ~ "), '')", key_type) }}
            {{- ',' if not loop.last }}
        {%- endfor %}

),

{{ table_name }}_counts as (

    select
        '{{ table_name }}' as table_name,
        sum(
            case
                when {% for key_column in key_columns -%}
                    {{ key_column }} is not null
                    {{- ' and ' if not loop.last }}
                {%- endfor %} then 1
                else 0
            end
        ) as raw_key_count,
        coalesce(sum(
            case
                when {% for key_column in key_columns -%}
                    {{ key_column }} is null
                    {{- ' or ' if not loop.last }}
                {%- endfor %} then raw_row_count
                else 0
            end
        ), 0) as raw_rows_without_key,
        (
            select count(*) from {{ ref(staging_model) }}
        ) as staging_row_count

    from {{ table_name }}_keys

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
where
    coalesce(raw_key_count, 0) <> staging_row_count
    or raw_rows_without_key > 0
