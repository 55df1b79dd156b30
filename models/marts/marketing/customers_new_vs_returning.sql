-- One row per calendar month with at least one valid order: active
-- customers split into new (first valid order ever in the month) and
-- returning (first valid order before it), with their orders and revenue.

with

int_customer_months_aggregated as (

    select
        order_month,
        is_first_order_month,
        orders,
        revenue

    from {{ ref('int_customer_months_aggregated') }}

),

final as (

    select
        order_month,
        cast(count(*) as {{ dbt.type_bigint() }}) as active_customers,
        cast(
            sum(case when is_first_order_month then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as new_customers,
        cast(
            sum(case when is_first_order_month then 0 else 1 end)
            as {{ dbt.type_bigint() }}
        ) as returning_customers,
        cast(sum(orders) as {{ dbt.type_bigint() }}) as orders,
        cast(
            sum(case when is_first_order_month then orders else 0 end)
            as {{ dbt.type_bigint() }}
        ) as new_customer_orders,
        cast(
            sum(case when is_first_order_month then 0 else orders end)
            as {{ dbt.type_bigint() }}
        ) as returning_customer_orders,
        cast(sum(revenue) as decimal(18, 2)) as revenue,
        cast(
            sum(case when is_first_order_month then revenue else 0 end)
            as decimal(18, 2)
        ) as new_customer_revenue,
        cast(
            sum(case when is_first_order_month then 0 else revenue end)
            as decimal(18, 2)
        ) as returning_customer_revenue,
        {{ safe_divide(
            'sum(case when is_first_order_month then 0 else 1 end)',
            'count(*)'
        ) }} as returning_customer_share

    from int_customer_months_aggregated
    group by order_month

)

select * from final
