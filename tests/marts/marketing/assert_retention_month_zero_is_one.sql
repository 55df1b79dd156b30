-- Month 0 of every cohort is 100 %: every customer of a cohort ordered in
-- their first-order month. Also no cohort lacks its month-0 row.

with

customer_retention as (

    select
        cohort_month,
        months_since_first_order,
        cohort_customers,
        retained_customers,
        retention_rate

    from {{ ref('customer_retention') }}

),

cohorts_without_month_zero as (

    select
        cohort_month,
        0 as months_since_first_order,
        max(cohort_customers) as cohort_customers,
        0 as retained_customers,
        cast(null as {{ type_double() }}) as retention_rate

    from customer_retention
    group by cohort_month
    having sum(case when months_since_first_order = 0 then 1 else 0 end) = 0

),

month_zero_not_one as (

    select *
    from customer_retention
    where
        months_since_first_order = 0
        and (
            retention_rate <> 1
            or retained_customers <> cohort_customers
        )

),

final as (

    select * from month_zero_not_one
    union all
    select * from cohorts_without_month_zero

)

select * from final
