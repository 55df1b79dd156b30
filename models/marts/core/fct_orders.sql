-- One row per order: amounts, payment, last-touch attribution and item
-- roll-up, from int_orders_attributed.

with

int_orders_attributed as (

    select
        order_id,
        customer_id,
        session_id,
        distribution_center_id,
        discount_id,
        order_status,
        is_cancelled,
        is_returned,
        ordered_at,
        order_date,
        shipped_at,
        delivered_at,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        payment_method,
        payment_status,
        payment_amount,
        paid_at,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type,
        item_count,
        unit_count,
        returned_item_count,
        returned_unit_count,
        net_revenue,
        cost_amount,
        gross_profit,
        refund_amount,
        customer_order_number,
        is_first_order

    from {{ ref('int_orders_attributed') }}

),

final as (

    select
        order_id,
        customer_id,
        session_id,
        distribution_center_id,
        discount_id,
        campaign_id,
        ad_id,
        order_status,
        is_cancelled,
        is_returned,
        ordered_at,
        order_date,
        shipped_at,
        delivered_at,
        subtotal_amount,
        discount_amount,
        shipping_amount,
        tax_amount,
        total_amount,
        net_revenue,
        cost_amount,
        gross_profit,
        refund_amount,
        payment_method,
        payment_status,
        payment_amount,
        paid_at,
        traffic_source,
        is_paid,
        utm_source,
        utm_medium,
        device_type,
        item_count,
        unit_count,
        returned_item_count,
        returned_unit_count,
        customer_order_number,
        is_first_order

    from int_orders_attributed

)

select * from final
