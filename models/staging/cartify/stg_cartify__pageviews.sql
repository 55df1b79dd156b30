{#- Incremental, not the staging default table: pageviews are the largest
    table (1.2M a year at scale 1) and immutable. A run still reads the whole
    CSV, but dedupes and upserts only the pageviews viewed in the lookback
    window (var incremental_lookback_days), which takes in late arrivals.
    docs/decisions.md. -#}
{{ config(materialized='incremental', unique_key='pageview_id') }}

with

source as (

    select * from {{ source('cartify', 'pageviews') }}

),

renamed as (

    select
        {{ dbt.safe_cast('pageview_id', dbt.type_int()) }} as pageview_id,
        {{ dbt.safe_cast('session_id', dbt.type_int()) }} as session_id,
        {{ dbt.safe_cast('viewed_at', dbt.type_timestamp()) }} as viewed_at,
        nullif(trim(page_url), '') as page_url

    from source

),

-- One row per pageview: no updated_at, so the earliest view wins and
-- remaining ties break on the other columns (never on file order).
ranked as (

    select
        *,
        row_number() over (
            partition by pageview_id
            order by
                viewed_at asc nulls last,
                session_id asc nulls last,
                page_url asc nulls last
        ) as version_rank

    from renamed
    where pageview_id is not null
    {%- if is_incremental() %}
        and viewed_at >= {{ incremental_lookback_start('viewed_at') }}
    {%- endif %}

),

final as (

    select
        pageview_id,
        session_id,
        viewed_at,
        page_url

    from ranked
    where version_rank = 1

)

select * from final
