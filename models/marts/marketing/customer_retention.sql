-- One row per first-order cohort month × months since the first order
-- (0 .. the last month with orders): the cohort's size, how many of its
-- customers placed a valid order in that month, and that share (the
-- retention matrix, read as rows = cohorts, columns = months since).

with

int_customer_months_aggregated as (

    select
        customer_id,
        order_month,
        first_order_month,
        months_since_first_order

    from {{ ref('int_customer_months_aggregated') }}

),

cohorts as (

    select
        first_order_month as cohort_month,
        count(*) as cohort_customers

    from int_customer_months_aggregated
    where months_since_first_order = 0
    group by first_order_month

),

-- Every month with at least one valid order: the columns of the matrix.
order_months as (

    select distinct order_month

    from int_customer_months_aggregated

),

-- Each cohort against every month from its first: months in which none of
-- the cohort came back are kept, with zero customers.
cohort_months as (

    select
        cohorts.cohort_month,
        cohorts.cohort_customers,
        order_months.order_month as activity_month,
        {{ dbt.datediff(
            'cohorts.cohort_month', 'order_months.order_month', 'month'
        ) }} as months_since_first_order

    from cohorts
    inner join order_months
        on cohorts.cohort_month <= order_months.order_month

),

active_per_cohort_month as (

    select
        first_order_month as cohort_month,
        months_since_first_order,
        count(*) as retained_customers

    from int_customer_months_aggregated
    group by
        first_order_month,
        months_since_first_order

),

final as (

    select
        cohort_months.cohort_month,
        cast(cohort_months.months_since_first_order as {{ dbt.type_int() }})
            as months_since_first_order,
        cohort_months.activity_month,
        cast(cohort_months.cohort_customers as {{ dbt.type_bigint() }})
            as cohort_customers,
        cast(
            coalesce(active_per_cohort_month.retained_customers, 0)
            as {{ dbt.type_bigint() }}
        ) as retained_customers,
        {{ safe_divide(
            'coalesce(active_per_cohort_month.retained_customers, 0)',
            'cohort_months.cohort_customers'
        ) }} as retention_rate

    from cohort_months
    left join active_per_cohort_month
        on cohort_months.cohort_month = active_per_cohort_month.cohort_month
        and cohort_months.months_since_first_order
            = active_per_cohort_month.months_since_first_order

)

select * from final
