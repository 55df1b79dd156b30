-- One row per discount code, plus one row, discount_code '(no discount)',
-- for valid orders placed without a code: orders, customers, revenue,
-- average order value, discount cost, and the repeat-purchase rate of the
-- customers whose first valid order used the code (or no code).

with

stg_cartify__discounts as (

    select
        discount_id,
        discount_code,
        discount_type,
        discount_value,
        campaign_id,
        valid_from,
        valid_to

    from {{ ref('stg_cartify__discounts') }}

),

fct_orders as (

    select
        order_id,
        customer_id,
        ordered_at,
        discount_id,
        discount_amount,
        net_revenue

    from {{ ref('fct_orders') }}
    where not is_cancelled

),

-- Ties on ordered_at break on order_id so the first order is well defined.
orders_numbered as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by ordered_at, order_id
        ) as customer_order_number,
        count(*) over (partition by customer_id) as customer_orders

    from fct_orders

),

orders_per_discount as (

    select
        discount_id,
        count(*) as orders,
        count(distinct customer_id) as customers,
        sum(net_revenue) as revenue,
        sum(discount_amount) as discount_cost,
        sum(case when customer_order_number = 1 then 1 else 0 end)
            as first_order_customers,
        sum(
            case
                when customer_order_number = 1 and customer_orders >= 2
                    then 1
                else 0
            end
        ) as repeat_customers

    from orders_numbered
    group by discount_id

),

discounts_and_no_discount as (

    select
        discount_id,
        discount_code,
        discount_type,
        discount_value,
        campaign_id,
        valid_from,
        valid_to,
        false as is_no_discount

    from stg_cartify__discounts

    union all

    select
        null as discount_id,
        '(no discount)' as discount_code,
        null as discount_type,
        null as discount_value,
        null as campaign_id,
        null as valid_from,
        null as valid_to,
        true as is_no_discount

),

final as (

    select
        discounts_and_no_discount.discount_code,
        discounts_and_no_discount.discount_id,
        discounts_and_no_discount.is_no_discount,
        discounts_and_no_discount.discount_type,
        cast(discounts_and_no_discount.discount_value as decimal(18, 2))
            as discount_value,
        discounts_and_no_discount.campaign_id,
        discounts_and_no_discount.valid_from,
        discounts_and_no_discount.valid_to,
        cast(coalesce(orders_per_discount.orders, 0) as {{ dbt.type_bigint() }})
            as orders,
        cast(
            coalesce(orders_per_discount.customers, 0)
            as {{ dbt.type_bigint() }}
        ) as customers,
        cast(coalesce(orders_per_discount.revenue, 0) as decimal(18, 2))
            as revenue,
        {{ safe_divide(
            'orders_per_discount.revenue', 'orders_per_discount.orders'
        ) }} as average_order_value,
        cast(coalesce(orders_per_discount.discount_cost, 0) as decimal(18, 2))
            as discount_cost,
        cast(
            coalesce(orders_per_discount.first_order_customers, 0)
            as {{ dbt.type_bigint() }}
        ) as first_order_customers,
        cast(
            coalesce(orders_per_discount.repeat_customers, 0)
            as {{ dbt.type_bigint() }}
        ) as repeat_customers,
        {{ safe_divide(
            'orders_per_discount.repeat_customers',
            'orders_per_discount.first_order_customers'
        ) }} as repeat_purchase_rate

    from discounts_and_no_discount
    left join orders_per_discount
        on discounts_and_no_discount.discount_id
            = orders_per_discount.discount_id
        or (
            discounts_and_no_discount.is_no_discount
            and orders_per_discount.discount_id is null
        )

)

select * from final
