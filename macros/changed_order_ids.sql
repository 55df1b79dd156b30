{#- A query of the order_ids whose rows may have changed since `since` (a
    timestamp expression, usually incremental_lookback_start): the order,
    one of its items, a refund or its payment has a timestamp (updated_at,
    refunded_at, paid_at) at or after it; with include_product_changes, also
    the orders holding a product updated since then (item rows carry product
    attributes). Used by the incremental order and item models to pick the
    orders they recompute. A model calling it must declare the staging models
    it reads with `-- depends_on:` (it is called only in incremental runs,
    which dbt does not parse). -#}
{% macro changed_order_ids(since, include_product_changes=false) %}
    {{ return(adapter.dispatch('changed_order_ids', 'cartify')(
        since, include_product_changes
    )) }}
{% endmacro %}

{% macro default__changed_order_ids(since, include_product_changes=false) -%}
    select order_id
    from {{ ref('stg_cartify__orders') }}
    where updated_at >= {{ since }}

    union

    select order_id
    from {{ ref('stg_cartify__order_items') }}
    where updated_at >= {{ since }}

    union

    select order_id
    from {{ ref('stg_cartify__refunds') }}
    where refunded_at >= {{ since }}

    union

    select order_id
    from {{ ref('stg_cartify__payments') }}
    where paid_at >= {{ since }}
    {%- if include_product_changes %}

    union

    select order_items.order_id
    from {{ ref('stg_cartify__order_items') }} as order_items
    inner join {{ ref('stg_cartify__products') }} as products
        on order_items.product_id = products.product_id
    where products.updated_at >= {{ since }}
    {%- endif %}
{%- endmacro %}
