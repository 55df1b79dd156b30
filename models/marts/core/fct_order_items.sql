-- One row per order item: amounts after the allocated order discount, cost,
-- gross profit, return and refund, from int_order_items_enriched.

with

int_order_items_enriched as (

    select
        order_item_id,
        order_id,
        customer_id,
        session_id,
        product_id,
        discount_id,
        distribution_center_id,
        ordered_at,
        order_date,
        order_status,
        item_status,
        category,
        brand,
        quantity,
        unit_price,
        unit_cost,
        gross_amount,
        discount_share,
        net_amount,
        cost_amount,
        gross_profit,
        is_cancelled,
        is_returned,
        shipped_at,
        delivered_at,
        returned_at,
        refund_amount,
        refund_reason,
        refunded_at

    from {{ ref('int_order_items_enriched') }}

),

final as (

    select
        order_item_id,
        order_id,
        customer_id,
        session_id,
        product_id,
        discount_id,
        distribution_center_id,
        ordered_at,
        order_date,
        order_status,
        item_status,
        category,
        brand,
        quantity,
        unit_price,
        unit_cost,
        gross_amount,
        discount_share,
        net_amount,
        cost_amount,
        gross_profit,
        is_cancelled,
        is_returned,
        shipped_at,
        delivered_at,
        returned_at,
        refund_amount,
        refund_reason,
        refunded_at

    from int_order_items_enriched

)

select * from final
