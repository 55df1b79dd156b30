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
    follow their item, product and customer.

    The parent checks are declared as relations [foreign key, parent, key,
    kind] and written out by macros/cartify_cross_table_checks.sql (D80);
    the special rules (customer contradiction, refund above paid, the visit
    rule, reviews) are written here. Big tables (pageviews, sessions) are
    read by key in set operations and semi joins, never held whole. -#}

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

    select table_name, raw_text
    from {{ ref('base_cartify__read_rejects') }}

),

-- Keys of the lines the reader rejected (their first fields): such a parent
-- exists but is untrusted, so its children are parent_quarantined. Parsed
-- as the base models parse keys (dbt.type_int()), so no join casts a key.
rejected_keys as (

    select
        table_name,
        {{ cartify_parse(
            dbt.split_part('raw_text', "','", 1), 'int', dbt.type_int()
        ) }} as first_id,
        {{ cartify_parse(
            dbt.split_part('raw_text', "','", 3), 'int', dbt.type_int()
        ) }} as third_id
    from read_rejects

),

-- Every key in each parent's file (*_raw), the keys staging publishes
-- (*_trusted), parents first; the children's parent checks in
-- cartify_parent_checks (macros/cartify_cross_table_checks.sql, D80).
customers_raw as (
    {{ cartify_raw_keys('customers', 'customer_id') }}
),

customers_trusted as (

    select customer_id from customers where row_status = 'kept'

),

products_checked as (
    {{ cartify_parent_checks('products', [
        ['distribution_center_id', 'distribution_centers',
         'distribution_center_id', 'reference'],
    ]) }}
),

products_raw as (
    {{ cartify_raw_keys('products', 'product_id') }}
),

products_trusted as (

    select product_id from products_checked where reason_code is null

),

inventory_checked as (
    {{ cartify_parent_checks('inventory', [
        ['product_id', 'products', 'product_id', 'trusted'],
        ['distribution_center_id', 'distribution_centers',
         'distribution_center_id', 'reference'],
    ], precedence='per_parent') }}
),

campaigns_raw as (
    {{ cartify_raw_keys('campaigns', 'campaign_id') }}
),

campaigns_trusted as (

    select campaign_id from campaigns where row_status = 'kept'

),

ads_checked as (
    {{ cartify_parent_checks('ads', [
        ['campaign_id', 'campaigns', 'campaign_id', 'trusted'],
        [['platform', 'placement'], 'ad_placement_pricing',
         ['platform', 'placement'], 'reference'],
    ], precedence='per_parent') }}
),

ads_raw as (
    {{ cartify_raw_keys('ads', 'ad_id') }}
),

ads_trusted as (

    select ad_id from ads_checked where reason_code is null

),

ad_daily_stats_checked as (
    {{ cartify_parent_checks('ad_daily_stats', [
        ['ad_id', 'ads', 'ad_id', 'trusted'],
    ]) }}
),

discounts_checked as (
    {{ cartify_parent_checks('discounts', [
        ['campaign_id', 'campaigns', 'campaign_id', 'trusted'],
    ]) }}
),

discounts_raw as (
    {{ cartify_raw_keys('discounts', 'discount_id') }}
),

discounts_trusted as (

    select discount_id from discounts_checked where reason_code is null

),

-- The transaction tables: each row's own reason first (only the rows with
-- one are kept: the visit rule below reads the rest by key).
-- The sessions' keys the orders' check needs: those orders name (pageviews
-- use a set difference below), not every session of the file. Joins from
-- the orders, not an `intersect`: that took the distinct keys of the whole
-- sessions' file first (D89). A null key matches nothing either way.
sessions_raw as (

    select orders.session_id
    from orders
    inner join website_sessions
        on orders.session_id = website_sessions.session_id
    union
    select orders.session_id
    from orders
    inner join rejected_keys
        on orders.session_id = rejected_keys.first_id
    where rejected_keys.table_name = 'website_sessions'

),

orders_raw as (
    {{ cartify_raw_keys('orders', 'order_id') }}
),

order_items_raw as (
    {{ cartify_raw_keys('order_items', 'order_item_id') }}
),

-- The customer of each converted session, as its order names it (any copy
-- of the order whose session and customer parse).
order_customers as (

    select session_id, min(customer_id) as order_customer_id
    from orders
    where session_id is not null and customer_id is not null
    group by session_id

),

-- A converted session naming no customer, or another one, than its order
-- (the order's customer is never null here).
sessions_with_order_customer as (

    select
        website_sessions.*,
        order_customers.session_id is not null
        and (
            website_sessions.customer_id is null
            or website_sessions.customer_id
            <> order_customers.order_customer_id
        ) as is_customer_contradiction
    from website_sessions
    left join order_customers
        on website_sessions.session_id = order_customers.session_id

),

-- The customer contradiction after the orphans, before the quarantined
-- parents.
sessions_checked as (
    {{ cartify_parent_checks('sessions_with_order_customer', [
        ['customer_id', 'customers', 'customer_id', 'trusted'],
        ['utm_campaign', 'campaigns', 'campaign_id', 'trusted'],
        ['utm_content', 'ads', 'ad_id', 'trusted'],
    ], rules=[
        ['sessions_with_order_customer.is_customer_contradiction',
         'customer_contradiction'],
    ], default_column='customer_id', rejected_only=true) }}
),

-- Pageviews (the biggest table) are never held whole: three narrow scans
-- by key. Here the sessions they name that are in no row of the sessions'
-- file nor a rejected line (a set difference, the cheapest anti join); the
-- quarantined ones' sessions in untrusted_sessions; the rows of untrusted
-- sessions in pageviews_final.
pageview_orphan_sessions as (

    select session_id from pageviews where row_status = 'kept'
    except
    select session_id from website_sessions
    except
    select first_id from rejected_keys where table_name = 'website_sessions'

),

orders_checked as (
    {{ cartify_parent_checks('orders', [
        ['session_id', 'sessions', 'session_id', 'file'],
        ['customer_id', 'customers', 'customer_id', 'trusted'],
        ['discount_id', 'discounts', 'discount_id', 'trusted'],
        ['distribution_center_id', 'distribution_centers',
         'distribution_center_id', 'reference'],
    ], rejected_only=true) }}
),

order_items_checked as (
    {{ cartify_parent_checks('order_items', [
        ['order_id', 'orders', 'order_id', 'file'],
        ['product_id', 'products', 'product_id', 'trusted'],
    ], rejected_only=true) }}
),

payments_checked as (
    {{ cartify_parent_checks('payments', [
        ['order_id', 'orders', 'order_id', 'file'],
    ], rejected_only=true) }}
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

refunds_with_paid_share as (

    select
        refunds.*,
        items_paid.paid_share
    from refunds
    left join items_paid
        on refunds.order_item_id = items_paid.order_item_id

),

-- A refund's own reasons (before the transactions: an untrusted refund
-- withholds its order's whole transaction, so no item shows as returned
-- without its refund); half a penny of slack for the double-precision share.
refunds_own as (
    {{ cartify_parent_checks('refunds_with_paid_share', [
        ['order_item_id', 'order_items', 'order_item_id', 'file'],
        ['order_id', 'orders', 'order_id', 'file'],
    ], rules=[
        ['refunds_with_paid_share.refund_amount'
         ~ ' > refunds_with_paid_share.paid_share + 0.005',
         'refund_exceeds_paid'],
    ], default_column='refund_amount', rejected_only=true) }}
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

-- Transactions (sessions) holding an untrusted row. Grouped, not a union's
-- distinct: the `having`, always true, only stops DuckDB's planner from
-- taking the set for as large as its inputs (11M rows at scale 10 for a few
-- thousand keys) and building the semi joins' hash tables below on the
-- 12M pageviews and 4.7M sessions instead of on it (D89).
untrusted_sessions as (

    select session_id
    from (
        select session_id from website_sessions
        where row_status = 'quarantined'
        union all
        select session_id from sessions_checked
        union all
        select session_id from pageviews where row_status = 'quarantined'
        union all
        select session_id from pageview_orphan_sessions
        union all
        select order_sessions.session_id
        from order_sessions
        inner join (
            select order_id from orders where row_status = 'quarantined'
            union
            select order_id from orders_checked
            union
            select first_id from rejected_keys where table_name = 'orders'
            union
            select order_id from order_items where row_status = 'quarantined'
            union
            select order_id from order_items_checked
            union
            select first_id from rejected_keys
            where table_name = 'order_items'
            union
            select order_id from payments where row_status = 'quarantined'
            union
            select order_id from payments_checked
            union
            select order_id from refunds where row_status = 'quarantined'
            union
            select order_id from refunds_own
        ) as untrusted_orders
            on order_sessions.order_id = untrusted_orders.order_id
    ) as untrusted
    group by session_id
    having count(*) >= 1

),

untrusted_orders as (

    select distinct order_sessions.order_id
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

),

refunds_final as (
    {{ cartify_follow_untrusted(
        'refunds', 'refunds_own', 'order_item_id', 'untrusted_order_items',
        'parent_quarantined', "'order_item_id'") }}
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
    {{ cartify_follow_untrusted(
        'website_sessions', 'sessions_checked', 'session_id',
        'untrusted_sessions', 'transaction_quarantined') }}
),

-- A kept pageview of an untrusted session: an orphan if its session is in
-- no session row of the file, else for its session.
pageviews_final as (

    select
        pageviews.source_file,
        pageviews.source_row,
        case
            when pageview_orphan_sessions.session_id is not null
                then 'orphan_parent'
            else 'parent_quarantined'
        end as reason_code,
        'session_id' as reason_column
    from pageviews
    left join pageview_orphan_sessions
        on pageviews.session_id = pageview_orphan_sessions.session_id
    where
        pageviews.row_status = 'kept'
        and pageviews.session_id in (
            select untrusted_sessions.session_id from untrusted_sessions
        )

),

orders_final as (
    {{ cartify_follow_untrusted(
        'orders', 'orders_checked', 'order_id', 'untrusted_orders',
        'parent_quarantined', "'session_id'") }}
),

order_items_final as (
    {{ cartify_follow_untrusted(
        'order_items', 'order_items_checked', 'order_id', 'untrusted_orders',
        'parent_quarantined', "'order_id'") }}
),

payments_final as (
    {{ cartify_follow_untrusted(
        'payments', 'payments_checked', 'order_id', 'untrusted_orders',
        'parent_quarantined', "'order_id'") }}
),

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
    ('refunds', 'refunds_final'),
    ('reviews', 'reviews_checked'),
] %}

rejects as (

    {% for table_name, relation in checked %}
        select
            '{{ table_name }}' as table_name,
            source_file,
            source_row,
            reason_code,
            reason_column
        from {{ relation }}
        where reason_code is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from rejects
