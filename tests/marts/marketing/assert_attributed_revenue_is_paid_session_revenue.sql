-- Last-touch attributed revenue is bounded by and explained by the orders:
-- Σ campaign_performance.attributed_revenue = Σ ad_performance's = the
-- revenue of valid orders placed in paid sessions (fct_orders),
-- and ≤ the revenue of all valid orders. The same for attributed orders.

with

campaign_performance as (

    select
        coalesce(sum(attributed_revenue), 0) as revenue,
        coalesce(sum(attributed_orders), 0) as orders

    from {{ ref('campaign_performance') }}

),

ad_performance as (

    select
        coalesce(sum(attributed_revenue), 0) as revenue,
        coalesce(sum(attributed_orders), 0) as orders

    from {{ ref('ad_performance') }}

),

fct_orders as (

    select
        coalesce(sum(net_revenue), 0) as total_revenue,
        coalesce(sum(case when is_paid then net_revenue end), 0)
            as paid_revenue,
        coalesce(sum(case when is_paid then 1 else 0 end), 0) as paid_orders

    from {{ ref('fct_orders') }}
    where not is_cancelled

),

final as (

    select
        campaign_performance.revenue as campaign_revenue,
        ad_performance.revenue as ad_revenue,
        fct_orders.paid_revenue,
        fct_orders.total_revenue,
        campaign_performance.orders as campaign_orders,
        ad_performance.orders as ad_orders,
        fct_orders.paid_orders

    from campaign_performance
    cross join ad_performance
    cross join fct_orders
    where campaign_performance.revenue <> fct_orders.paid_revenue
        or ad_performance.revenue <> fct_orders.paid_revenue
        or campaign_performance.revenue > fct_orders.total_revenue
        or campaign_performance.orders <> fct_orders.paid_orders
        or ad_performance.orders <> fct_orders.paid_orders

)

select * from final
