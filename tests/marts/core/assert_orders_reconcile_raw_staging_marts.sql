-- No order or order item is lost or duplicated between raw, staging and the
-- core marts, and the money agrees: order totals, subtotals and discounts
-- equal between staging and fct_orders; item gross and net equal between
-- staging and fct_order_items; Σ item net = Σ order net revenue =
-- Σ (subtotal − discount).

with

raw_orders as (

    -- the raw keys (contract form) of the rows staging trusts: all but the
    -- keys of the rows the reader returned and staging quarantined
    select
        count(distinct {{ cartify_parse('order_id', 'int') }})
        - (
            select count(distinct {{ cartify_parse('row_key', 'int') }})
            from {{ ref('quarantined_rows') }}
            where table_name = 'orders' and source_row is not null
        ) as order_count
    from {{ source('cartify', 'orders') }}
    where {{ cartify_every_field_read('orders') }}

),

raw_order_items as (

    -- the raw keys (contract form) of the rows staging trusts: all but the
    -- keys of the rows the reader returned and staging quarantined
    select
        count(distinct {{ cartify_parse('order_item_id', 'int') }})
        - (
            select count(distinct {{ cartify_parse('row_key', 'int') }})
            from {{ ref('quarantined_rows') }}
            where table_name = 'order_items' and source_row is not null
        ) as order_item_count
    from {{ source('cartify', 'order_items') }}
    where {{ cartify_every_field_read('order_items') }}

),

stg_cartify__orders as (

    select
        count(*) as order_count,
        sum(total_amount) as total_amount,
        sum(subtotal_amount) as subtotal_amount,
        sum(discount_amount) as discount_amount

    from {{ ref('stg_cartify__orders') }}

),

stg_cartify__order_items as (

    select
        count(*) as order_item_count,
        sum(quantity * unit_price) as gross_amount

    from {{ ref('stg_cartify__order_items') }}

),

fct_orders as (

    select
        count(*) as order_count,
        sum(total_amount) as total_amount,
        sum(subtotal_amount) as subtotal_amount,
        sum(discount_amount) as discount_amount,
        sum(net_revenue) as net_revenue

    from {{ ref('fct_orders') }}

),

fct_order_items as (

    select
        count(*) as order_item_count,
        sum(gross_amount) as gross_amount,
        sum(net_amount) as net_amount

    from {{ ref('fct_order_items') }}

),

checks as (

    select
        'orders: raw vs staging vs fct_orders' as check_name,
        raw_orders.order_count <> stg_cartify__orders.order_count
        or stg_cartify__orders.order_count <> fct_orders.order_count
            as is_failed
    from raw_orders
    cross join stg_cartify__orders
    cross join fct_orders

    union all

    select
        'order items: raw vs staging vs fct_order_items' as check_name,
        raw_order_items.order_item_count
        <> stg_cartify__order_items.order_item_count
        or stg_cartify__order_items.order_item_count
        <> fct_order_items.order_item_count as is_failed
    from raw_order_items
    cross join stg_cartify__order_items
    cross join fct_order_items

    union all

    select
        'order money: staging vs fct_orders' as check_name,
        stg_cartify__orders.total_amount <> fct_orders.total_amount
        or stg_cartify__orders.subtotal_amount <> fct_orders.subtotal_amount
        or stg_cartify__orders.discount_amount <> fct_orders.discount_amount
            as is_failed
    from stg_cartify__orders
    cross join fct_orders

    union all

    select
        'item money: staging vs fct_order_items vs fct_orders' as check_name,
        stg_cartify__order_items.gross_amount <> fct_order_items.gross_amount
        or fct_order_items.net_amount <> fct_orders.net_revenue
        or fct_orders.net_revenue
        <> fct_orders.subtotal_amount - fct_orders.discount_amount
            as is_failed
    from stg_cartify__order_items
    cross join fct_order_items
    cross join fct_orders

)

select check_name
from checks
where is_failed
