{#- A query of every order_id of the customers who have an order in
    changed_order_ids(since): an order's customer_order_number (and
    is_first_order) depends on the customer's other orders, so a late or
    changed or withdrawn order renumbers the customer's whole history
    (`this` is the calling model, fct_orders). Used by
    fct_orders. A model calling it must declare
    stg_cartify__orders, __order_items, __refunds and __payments with
    `-- depends_on:`. -#}
{% macro changed_customer_order_ids(since) %}
    {{ return(adapter.dispatch('changed_customer_order_ids', 'cartify')(
        since
    )) }}
{% endmacro %}

{% macro default__changed_customer_order_ids(since) -%}
    select order_id
    from {{ ref('stg_cartify__orders') }}
    where customer_id in (
        select customer_id
        from {{ ref('stg_cartify__orders') }}
        where order_id in (
            {{ changed_order_ids(since) }}
        )
        -- and the customers of published orders staging withdrew since
        -- (quarantined: docs/decisions.md D69), whose later orders move up
        union
        select customer_id
        from {{ this }}
        where order_id not in (
            select order_id from {{ ref('stg_cartify__orders') }}
        )
    )
{%- endmacro %}
