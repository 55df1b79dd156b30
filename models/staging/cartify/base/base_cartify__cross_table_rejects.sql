{#- The rows that pass their own table's checks but cannot be trusted
    because of another table (docs/decisions.md D67, D68): one row per such
    raw row, with its reason.

      orphan_parent            a foreign key names no row of the parent's raw
                               file (nor a line the reader rejected)
      parent_quarantined       the parent row is in the file but untrusted
      customer_contradiction   a converted session names no customer, or
                               another one, than its order
      refund_exceeds_paid      a refund above the item's share of what was
                               paid for goods (quantity x unit price x
                               (total - shipping) / subtotal), by more than
                               half a penny
      transaction_quarantined  a session whose pageviews, order, order items,
                               payment or refunds hold an untrusted row: the visit
                               and its purchase are withheld whole, so no
                               mart shows an order without its lines or a
                               converted session without its order

    A session, its pageviews, its order, the order's items, payment and
    refunds are one transaction: trusted together or not at all. Reviews
    follow their item, product and customer. -#}

with

customers as (

    select source_file, source_row, row_status, customer_id
    from {{ ref('base_cartify__customers') }}

),

products as (

    select
        source_file, source_row, row_status, product_id,
        distribution_center_id
    from {{ ref('base_cartify__products') }}

),

inventory as (

    select
        source_file, source_row, row_status, product_id,
        distribution_center_id
    from {{ ref('base_cartify__inventory') }}

),

campaigns as (

    select source_file, source_row, row_status, campaign_id
    from {{ ref('base_cartify__campaigns') }}

),

ads as (

    select
        source_file, source_row, row_status, ad_id, campaign_id, platform,
        placement
    from {{ ref('base_cartify__ads') }}

),

ad_daily_stats as (

    select source_file, source_row, row_status, ad_id
    from {{ ref('base_cartify__ad_daily_stats') }}

),

discounts as (

    select source_file, source_row, row_status, discount_id, campaign_id
    from {{ ref('base_cartify__discounts') }}

),

website_sessions as (

    select
        source_file, source_row, row_status, session_id, customer_id,
        utm_campaign, utm_content
    from {{ ref('base_cartify__website_sessions') }}

),

pageviews as (

    select source_file, source_row, row_status, session_id
    from {{ ref('base_cartify__pageviews') }}

),

orders as (

    select
        source_file, source_row, row_status, order_id, customer_id,
        session_id, distribution_center_id, discount_id, subtotal,
        shipping_amount, total_amount
    from {{ ref('base_cartify__orders') }}

),

order_items as (

    select
        source_file, source_row, row_status, order_item_id, order_id,
        product_id, quantity, unit_price
    from {{ ref('base_cartify__order_items') }}

),

payments as (

    select source_file, source_row, row_status, order_id
    from {{ ref('base_cartify__payments') }}

),

refunds as (

    select
        source_file, source_row, row_status, order_item_id, order_id,
        refund_amount
    from {{ ref('base_cartify__refunds') }}

),

reviews as (

    select
        source_file, source_row, row_status, order_item_id, product_id,
        customer_id
    from {{ ref('base_cartify__reviews') }}

),

distribution_centers as (

    select distribution_center_id
    from {{ ref('stg_cartify__distribution_centers') }}

),

ad_placement_pricing as (

    select platform, placement
    from {{ ref('stg_cartify__ad_placement_pricing') }}

),

read_rejects as (

    {{ cartify_read_rejects() }}

),

-- Keys of the lines the reader rejected (their first fields): such a parent
-- exists but is untrusted, so its children are parent_quarantined.
rejected_keys as (

    select
        table_name,
        {{ cartify_parse(dbt.split_part('raw_text', "','", 1), 'int') }}
            as first_id,
        {{ cartify_parse(dbt.split_part('raw_text', "','", 3), 'int') }}
            as third_id
    from read_rejects

),

-- Entities, parents first. *_raw: every key in the file; *_trusted: the
-- keys staging publishes.
customers_raw as (

    select customer_id from customers
    union
    select first_id from rejected_keys where table_name = 'customers'

),

customers_trusted as (

    select customer_id from customers where row_status = 'kept'

),

products_checked as (

    select
        products.*,
        case
            when distribution_centers.distribution_center_id is null
                then 'orphan_parent'
        end as reason_code,
        'distribution_center_id' as reason_column
    from products
    left join distribution_centers
        on products.distribution_center_id
        = distribution_centers.distribution_center_id
    where products.row_status = 'kept'

),

products_raw as (

    select product_id from products
    union
    select first_id from rejected_keys where table_name = 'products'

),

products_trusted as (

    select product_id from products_checked where reason_code is null

),

inventory_checked as (

    select
        inventory.*,
        case
            when products_trusted.product_id is null
                and products_raw.product_id is null
                then 'orphan_parent'
            when products_trusted.product_id is null
                then 'parent_quarantined'
            when distribution_centers.distribution_center_id is null
                then 'orphan_parent'
        end as reason_code,
        case
            when products_trusted.product_id is null then 'product_id'
            else 'distribution_center_id'
        end as reason_column
    from inventory
    left join products_trusted
        on inventory.product_id = products_trusted.product_id
    left join products_raw
        on inventory.product_id = products_raw.product_id
    left join distribution_centers
        on inventory.distribution_center_id
        = distribution_centers.distribution_center_id
    where inventory.row_status = 'kept'

),

campaigns_raw as (

    select campaign_id from campaigns
    union
    select first_id from rejected_keys where table_name = 'campaigns'

),

campaigns_trusted as (

    select campaign_id from campaigns where row_status = 'kept'

),

ads_checked as (

    select
        ads.*,
        case
            when campaigns_trusted.campaign_id is null
                and campaigns_raw.campaign_id is null
                then 'orphan_parent'
            when campaigns_trusted.campaign_id is null
                then 'parent_quarantined'
            when ad_placement_pricing.platform is null
                then 'orphan_parent'
        end as reason_code,
        case
            when campaigns_trusted.campaign_id is null then 'campaign_id'
            else 'placement'
        end as reason_column
    from ads
    left join campaigns_trusted
        on ads.campaign_id = campaigns_trusted.campaign_id
    left join campaigns_raw
        on ads.campaign_id = campaigns_raw.campaign_id
    left join ad_placement_pricing
        on
            ads.platform = ad_placement_pricing.platform
            and ads.placement = ad_placement_pricing.placement
    where ads.row_status = 'kept'

),

ads_raw as (

    select ad_id from ads
    union
    select first_id from rejected_keys where table_name = 'ads'

),

ads_trusted as (

    select ad_id from ads_checked where reason_code is null

),

ad_daily_stats_checked as (

    select
        ad_daily_stats.*,
        case
            when ads_trusted.ad_id is null and ads_raw.ad_id is null
                then 'orphan_parent'
            when ads_trusted.ad_id is null
                then 'parent_quarantined'
        end as reason_code,
        'ad_id' as reason_column
    from ad_daily_stats
    left join ads_trusted
        on ad_daily_stats.ad_id = ads_trusted.ad_id
    left join ads_raw
        on ad_daily_stats.ad_id = ads_raw.ad_id
    where ad_daily_stats.row_status = 'kept'

),

discounts_checked as (

    select
        discounts.*,
        case
            when discounts.campaign_id is null then null
            when campaigns_trusted.campaign_id is null
                and campaigns_raw.campaign_id is null
                then 'orphan_parent'
            when campaigns_trusted.campaign_id is null
                then 'parent_quarantined'
        end as reason_code,
        'campaign_id' as reason_column
    from discounts
    left join campaigns_trusted
        on discounts.campaign_id = campaigns_trusted.campaign_id
    left join campaigns_raw
        on discounts.campaign_id = campaigns_raw.campaign_id
    where discounts.row_status = 'kept'

),

discounts_raw as (

    select discount_id from discounts
    union
    select first_id from rejected_keys where table_name = 'discounts'

),

discounts_trusted as (

    select discount_id from discounts_checked where reason_code is null

),

-- The transaction tables: each row's own reason first.
sessions_raw as (

    select session_id from website_sessions
    union
    select first_id from rejected_keys where table_name = 'website_sessions'

),

orders_raw as (

    select order_id from orders
    union
    select first_id from rejected_keys where table_name = 'orders'

),

order_items_raw as (

    select order_item_id from order_items
    union
    select first_id from rejected_keys where table_name = 'order_items'

),

-- The customer of each converted session, as its order names it (any copy
-- of the order whose session and customer parse).
order_customers as (

    select session_id, min(customer_id) as order_customer_id
    from orders
    where session_id is not null and customer_id is not null
    group by session_id

),

sessions_checked as (

    select
        website_sessions.*,
        case
            when website_sessions.customer_id is not null
                and customers_trusted.customer_id is null
                and customers_raw.customer_id is null
                then 'orphan_parent'
            when website_sessions.utm_campaign is not null
                and campaigns_raw.campaign_id is null
                then 'orphan_parent'
            when website_sessions.utm_content is not null
                and ads_raw.ad_id is null
                then 'orphan_parent'
            when order_customers.session_id is not null
                and website_sessions.customer_id
                is distinct from order_customers.order_customer_id
                then 'customer_contradiction'
            when website_sessions.customer_id is not null
                and customers_trusted.customer_id is null
                then 'parent_quarantined'
            when website_sessions.utm_campaign is not null
                and campaigns_trusted.campaign_id is null
                then 'parent_quarantined'
            when website_sessions.utm_content is not null
                and ads_trusted.ad_id is null
                then 'parent_quarantined'
        end as reason_code,
        case
            when website_sessions.customer_id is not null
                and customers_trusted.customer_id is null
                then 'customer_id'
            when website_sessions.utm_campaign is not null
                and campaigns_trusted.campaign_id is null
                then 'utm_campaign'
            when website_sessions.utm_content is not null
                and ads_trusted.ad_id is null
                then 'utm_content'
            else 'customer_id'
        end as reason_column
    from website_sessions
    left join customers_trusted
        on website_sessions.customer_id = customers_trusted.customer_id
    left join customers_raw
        on website_sessions.customer_id = customers_raw.customer_id
    left join campaigns_trusted
        on website_sessions.utm_campaign = campaigns_trusted.campaign_id
    left join campaigns_raw
        on website_sessions.utm_campaign = campaigns_raw.campaign_id
    left join ads_trusted
        on website_sessions.utm_content = ads_trusted.ad_id
    left join ads_raw
        on website_sessions.utm_content = ads_raw.ad_id
    left join order_customers
        on website_sessions.session_id = order_customers.session_id
    where website_sessions.row_status = 'kept'

),

pageviews_checked as (

    select
        pageviews.*,
        case
            when sessions_raw.session_id is null then 'orphan_parent'
        end as reason_code,
        'session_id' as reason_column
    from pageviews
    left join sessions_raw
        on pageviews.session_id = sessions_raw.session_id
    where pageviews.row_status = 'kept'

),

orders_checked as (

    select
        orders.*,
        case
            when sessions_raw.session_id is null then 'orphan_parent'
            when customers_raw.customer_id is null then 'orphan_parent'
            when orders.discount_id is not null
                and discounts_raw.discount_id is null
                then 'orphan_parent'
            when distribution_centers.distribution_center_id is null
                then 'orphan_parent'
            when customers_trusted.customer_id is null
                then 'parent_quarantined'
            when orders.discount_id is not null
                and discounts_trusted.discount_id is null
                then 'parent_quarantined'
        end as reason_code,
        case
            when sessions_raw.session_id is null then 'session_id'
            when customers_trusted.customer_id is null then 'customer_id'
            when orders.discount_id is not null
                and discounts_trusted.discount_id is null
                then 'discount_id'
            else 'distribution_center_id'
        end as reason_column
    from orders
    left join sessions_raw
        on orders.session_id = sessions_raw.session_id
    left join customers_trusted
        on orders.customer_id = customers_trusted.customer_id
    left join customers_raw
        on orders.customer_id = customers_raw.customer_id
    left join discounts_trusted
        on orders.discount_id = discounts_trusted.discount_id
    left join discounts_raw
        on orders.discount_id = discounts_raw.discount_id
    left join distribution_centers
        on orders.distribution_center_id
        = distribution_centers.distribution_center_id
    where orders.row_status = 'kept'

),

order_items_checked as (

    select
        order_items.*,
        case
            when orders_raw.order_id is null then 'orphan_parent'
            when products_raw.product_id is null then 'orphan_parent'
            when products_trusted.product_id is null
                then 'parent_quarantined'
        end as reason_code,
        case
            when orders_raw.order_id is null then 'order_id'
            else 'product_id'
        end as reason_column
    from order_items
    left join orders_raw
        on order_items.order_id = orders_raw.order_id
    left join products_trusted
        on order_items.product_id = products_trusted.product_id
    left join products_raw
        on order_items.product_id = products_raw.product_id
    where order_items.row_status = 'kept'

),

payments_checked as (

    select
        payments.*,
        case
            when orders_raw.order_id is null then 'orphan_parent'
        end as reason_code,
        'order_id' as reason_column
    from payments
    left join orders_raw
        on payments.order_id = orders_raw.order_id
    where payments.row_status = 'kept'

),

-- The item's share of what was paid for goods (the refund the generator
-- would book, before rounding down), from any copy of the item and its order
-- whose fields parse (re-sent copies may differ: the largest share).
items_paid as (

    select
        order_items.order_item_id,
        max(
            {{ safe_divide(
                'order_items.quantity * order_items.unit_price'
                ~ ' * (orders.total_amount - orders.shipping_amount)',
                'orders.subtotal'
            ) }}
        ) as paid_share
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    where
        order_items.row_status <> 'duplicate'
        and orders.row_status <> 'duplicate'
    group by order_items.order_item_id

),

-- A refund's own reasons (before the transactions: an untrusted refund
-- withholds its order's whole transaction, so no item shows as returned
-- without its refund).
refunds_own as (

    select
        refunds.*,
        case
            when order_items_raw.order_item_id is null then 'orphan_parent'
            when orders_raw.order_id is null then 'orphan_parent'
            -- half a penny of slack for the double-precision share
            when refunds.refund_amount > items_paid.paid_share + 0.005
                then 'refund_exceeds_paid'
        end as reason_code,
        case
            when order_items_raw.order_item_id is null then 'order_item_id'
            when orders_raw.order_id is null then 'order_id'
            else 'refund_amount'
        end as reason_column
    from refunds
    left join order_items_raw
        on refunds.order_item_id = order_items_raw.order_item_id
    left join orders_raw
        on refunds.order_id = orders_raw.order_id
    left join items_paid
        on refunds.order_item_id = items_paid.order_item_id
    where refunds.row_status = 'kept'

),

-- The order of every row that names one, trusted or not (a rejected line's
-- order and session come from its first and third fields).
order_sessions as (

    select order_id, session_id from orders where session_id is not null
    union
    select first_id, third_id
    from rejected_keys
    where table_name = 'orders' and third_id is not null

),

-- Transactions (sessions) holding an untrusted row.
untrusted_sessions as (

    select session_id from website_sessions
    where row_status = 'quarantined'
    union
    select session_id from sessions_checked where reason_code is not null
    union
    select session_id from pageviews where row_status = 'quarantined'
    union
    select session_id from pageviews_checked where reason_code is not null
    union
    select order_sessions.session_id
    from order_sessions
    inner join (
        select order_id from orders where row_status = 'quarantined'
        union
        select order_id from orders_checked where reason_code is not null
        union
        select first_id from rejected_keys where table_name = 'orders'
        union
        select order_id from order_items where row_status = 'quarantined'
        union
        select order_id from order_items_checked
        where reason_code is not null
        union
        select first_id from rejected_keys
        where table_name = 'order_items'
        union
        select order_id from payments where row_status = 'quarantined'
        union
        select order_id from payments_checked where reason_code is not null
        union
        select order_id from refunds where row_status = 'quarantined'
        union
        select order_id from refunds_own where reason_code is not null
    ) as untrusted_orders
        on order_sessions.order_id = untrusted_orders.order_id

),

untrusted_orders as (

    select order_sessions.order_id
    from order_sessions
    inner join untrusted_sessions
        on order_sessions.session_id = untrusted_sessions.session_id

),

-- Order items the marts do not get: the refunds and reviews of them follow.
untrusted_order_items as (

    select order_items.order_item_id
    from order_items
    left join untrusted_orders
        on order_items.order_id = untrusted_orders.order_id
    where
        order_items.row_status = 'quarantined'
        or untrusted_orders.order_id is not null
    union
    select order_item_id from order_items_checked
    where reason_code is not null

),

refunds_checked as (

    select
        refunds_own.source_file,
        refunds_own.source_row,
        coalesce(
            refunds_own.reason_code,
            case
                when untrusted_order_items.order_item_id is not null
                    then 'parent_quarantined'
            end
        ) as reason_code,
        case
            when refunds_own.reason_code is not null
                then refunds_own.reason_column
            else 'order_item_id'
        end as reason_column
    from refunds_own
    left join untrusted_order_items
        on refunds_own.order_item_id = untrusted_order_items.order_item_id

),

reviews_checked as (

    select
        reviews.*,
        case
            when order_items_raw.order_item_id is null then 'orphan_parent'
            when products_raw.product_id is null then 'orphan_parent'
            when customers_raw.customer_id is null then 'orphan_parent'
            when untrusted_order_items.order_item_id is not null
                then 'parent_quarantined'
            when products_trusted.product_id is null
                then 'parent_quarantined'
            when customers_trusted.customer_id is null
                then 'parent_quarantined'
        end as reason_code,
        case
            when order_items_raw.order_item_id is null then 'order_item_id'
            when products_raw.product_id is null then 'product_id'
            when customers_raw.customer_id is null then 'customer_id'
            when untrusted_order_items.order_item_id is not null
                then 'order_item_id'
            when products_trusted.product_id is null then 'product_id'
            else 'customer_id'
        end as reason_column
    from reviews
    left join order_items_raw
        on reviews.order_item_id = order_items_raw.order_item_id
    left join products_raw
        on reviews.product_id = products_raw.product_id
    left join customers_raw
        on reviews.customer_id = customers_raw.customer_id
    left join untrusted_order_items
        on reviews.order_item_id = untrusted_order_items.order_item_id
    left join products_trusted
        on reviews.product_id = products_trusted.product_id
    left join customers_trusted
        on reviews.customer_id = customers_trusted.customer_id
    where reviews.row_status = 'kept'

),

-- A transaction row without a reason of its own, in an untrusted
-- transaction: the session is withheld whole, the rest for their parent.
sessions_final as (

    select
        sessions_checked.source_file,
        sessions_checked.source_row,
        coalesce(
            sessions_checked.reason_code,
            case
                when untrusted_sessions.session_id is not null
                    then 'transaction_quarantined'
            end
        ) as reason_code,
        case
            when sessions_checked.reason_code is not null
                then sessions_checked.reason_column
        end as reason_column
    from sessions_checked
    left join untrusted_sessions
        on sessions_checked.session_id = untrusted_sessions.session_id

),

pageviews_final as (

    select
        pageviews_checked.source_file,
        pageviews_checked.source_row,
        coalesce(
            pageviews_checked.reason_code,
            case
                when untrusted_sessions.session_id is not null
                    then 'parent_quarantined'
            end
        ) as reason_code,
        'session_id' as reason_column
    from pageviews_checked
    left join untrusted_sessions
        on pageviews_checked.session_id = untrusted_sessions.session_id

),

orders_final as (

    select
        orders_checked.source_file,
        orders_checked.source_row,
        coalesce(
            orders_checked.reason_code,
            case
                when untrusted_orders.order_id is not null
                    then 'parent_quarantined'
            end
        ) as reason_code,
        case
            when orders_checked.reason_code is not null
                then orders_checked.reason_column
            else 'session_id'
        end as reason_column
    from orders_checked
    left join untrusted_orders
        on orders_checked.order_id = untrusted_orders.order_id

),

order_items_final as (

    select
        order_items_checked.source_file,
        order_items_checked.source_row,
        coalesce(
            order_items_checked.reason_code,
            case
                when untrusted_orders.order_id is not null
                    then 'parent_quarantined'
            end
        ) as reason_code,
        case
            when order_items_checked.reason_code is not null
                then order_items_checked.reason_column
            else 'order_id'
        end as reason_column
    from order_items_checked
    left join untrusted_orders
        on order_items_checked.order_id = untrusted_orders.order_id

),

payments_final as (

    select
        payments_checked.source_file,
        payments_checked.source_row,
        coalesce(
            payments_checked.reason_code,
            case
                when untrusted_orders.order_id is not null
                    then 'parent_quarantined'
            end
        ) as reason_code,
        'order_id' as reason_column
    from payments_checked
    left join untrusted_orders
        on payments_checked.order_id = untrusted_orders.order_id

),

rejects as (

    {%- set checked = [
        ('products', 'products_checked'),
        ('inventory', 'inventory_checked'),
        ('ads', 'ads_checked'),
        ('ad_daily_stats', 'ad_daily_stats_checked'),
        ('discounts', 'discounts_checked'),
        ('website_sessions', 'sessions_final'),
        ('pageviews', 'pageviews_final'),
        ('orders', 'orders_final'),
        ('order_items', 'order_items_final'),
        ('payments', 'payments_final'),
        ('refunds', 'refunds_checked'),
        ('reviews', 'reviews_checked'),
    ] %}
    {%- for table_name, relation in checked %}
    select
        '{{ table_name }}' as table_name,
        source_file,
        source_row,
        reason_code,
        reason_column
    from {{ relation }}
    where reason_code is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

)

select * from rejects
