{#- Incremental, not the staging default table: items are event-sized and
    change status with a later updated_at. A run reads the whole CSV but
    upserts only the items updated in the lookback window (var
    incremental_lookback_days): new, late and changed items. The latest
    version of an item is always in that window when any version is, so the
    dedup below stays exact. docs/decisions.md. -#}
{{ config(materialized='incremental', unique_key='order_item_id') }}

with

source as (

    select * from {{ source('cartify', 'order_items') }}

),

renamed as (

    select
        {{ dbt.safe_cast('order_item_id', dbt.type_int()) }} as order_item_id,
        {{ dbt.safe_cast('order_id', dbt.type_int()) }} as order_id,
        {{ dbt.safe_cast('product_id', dbt.type_int()) }} as product_id,
        {{ dbt.safe_cast('quantity', dbt.type_int()) }} as quantity,
        {{ dbt.safe_cast('unit_price', 'decimal(12,2)') }} as unit_price,
        {{ dbt.safe_cast('unit_cost', 'decimal(12,2)') }} as unit_cost,
        lower(nullif(trim(status), '')) as item_status,
        {{ dbt.safe_cast('shipped_at', dbt.type_timestamp()) }} as shipped_at,
        {{ dbt.safe_cast('delivered_at', dbt.type_timestamp()) }}
            as delivered_at,
        {{ dbt.safe_cast('returned_at', dbt.type_timestamp()) }}
            as returned_at,
        {{ dbt.safe_cast('updated_at', dbt.type_timestamp()) }} as updated_at

    from source

),

-- One row per order item: the latest version by updated_at; remaining ties
-- break on the other columns so the choice never depends on file order.
ranked as (

    select
        *,
        row_number() over (
            partition by order_item_id
            order by
                updated_at desc nulls last,
                returned_at desc nulls last,
                delivered_at desc nulls last,
                shipped_at desc nulls last,
                item_status desc nulls last
        ) as version_rank

    from renamed
    where order_item_id is not null
    {%- if is_incremental() %}
        and updated_at >= {{ incremental_lookback_start('updated_at') }}
    {%- endif %}

),

final as (

    select
        order_item_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        unit_cost,
        item_status,
        shipped_at,
        delivered_at,
        returned_at,
        updated_at

    from ranked
    where version_rank = 1

)

select * from final
