-- customer_segmentation has exactly one row per staged customer: no customer
-- lost, none invented. Returns the customer ids found on one side only.

with

stg_cartify__customers as (

    select customer_id from {{ ref('stg_cartify__customers') }}

),

customer_segmentation as (

    select customer_id from {{ ref('customer_segmentation') }}

),

final as (

    select
        coalesce(
            stg_cartify__customers.customer_id,
            customer_segmentation.customer_id
        ) as customer_id,
        case
            when customer_segmentation.customer_id is null
                then 'missing from customer_segmentation'
            else 'not a staged customer'
        end as problem

    from stg_cartify__customers
    full outer join customer_segmentation
        on
            stg_cartify__customers.customer_id
            = customer_segmentation.customer_id
    where
        stg_cartify__customers.customer_id is null
        or customer_segmentation.customer_id is null

)

select * from final
