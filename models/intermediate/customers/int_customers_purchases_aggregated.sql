{%- set window_days = var('customer_segmentation_window_days') %}

-- One row per customer with at least one purchased item as of as_of_date:
-- what they had bought by then, in the last year and in their lifetime
-- (units, returns, revenue, profit, orders, first and last order). A
-- purchased item is not cancelled and was ordered on or before as_of_date;
-- it counts as returned only if it was returned on or before as_of_date.
-- Definitions: models/marts/customers/_customers__docs.md.

with

fct_order_items as (

    select
        order_id,
        customer_id,
        ordered_at,
        order_date,
        quantity,
        net_amount,
        cost_amount,
        is_cancelled,
        is_returned,
        returned_at

    from {{ ref('fct_order_items') }}

),

int_as_of_date as (

    select as_of_date from {{ ref('int_as_of_date') }}

),

-- "Last year": order_date in [as_of_date - (window - 1), as_of_date], both
-- ends inclusive, so exactly `window` calendar days.
reporting_window as (

    select
        as_of_date,
        cast(
            {{ dbt.dateadd('day', -(window_days - 1), 'as_of_date') }}
            as date
        ) as window_start_date

    from int_as_of_date

),

items_as_of as (

    select
        fct_order_items.order_id,
        fct_order_items.customer_id,
        fct_order_items.ordered_at,
        fct_order_items.quantity,
        fct_order_items.net_amount,
        fct_order_items.cost_amount,
        coalesce(
            fct_order_items.is_returned
            and (
                fct_order_items.returned_at is null
                or cast(fct_order_items.returned_at as date)
                <= reporting_window.as_of_date
            ),
            false
        ) as is_returned_as_of,
        fct_order_items.order_date
        >= reporting_window.window_start_date as is_in_last_year

    from fct_order_items
    cross join reporting_window
    where
        not fct_order_items.is_cancelled
        and fct_order_items.order_date <= reporting_window.as_of_date

),

-- Money sums are cast to decimal(18, 2): PostgreSQL's sum of a decimal is an
-- unscaled numeric (docs/decisions.md D30).
final as (

    select
        customer_id,
        sum(
            case when is_in_last_year then quantity else 0 end
        ) as items_purchased_last_year,
        sum(
            case
                when is_in_last_year and is_returned_as_of then quantity
                else 0
            end
        ) as items_returned_last_year,
        cast(
            sum(
                case
                    when is_in_last_year and not is_returned_as_of
                        then net_amount
                    else 0
                end
            ) as decimal(18, 2)
        ) as revenue_last_year,
        cast(
            sum(
                case
                    when is_in_last_year and not is_returned_as_of
                        then net_amount - cost_amount
                    else 0
                end
            ) as decimal(18, 2)
        ) as profit_last_year,
        count(distinct order_id) as lifetime_orders,
        cast(
            sum(
                case when not is_returned_as_of then net_amount else 0 end
            ) as decimal(18, 2)
        ) as lifetime_revenue,
        cast(
            sum(
                case
                    when not is_returned_as_of then net_amount - cost_amount
                    else 0
                end
            ) as decimal(18, 2)
        ) as lifetime_gross_profit,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at

    from items_as_of
    group by customer_id

)

select * from final
