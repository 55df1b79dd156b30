{#- Incremental, not the staging default table: sessions are event-sized
    (470k a year at scale 1) and immutable. A run still reads the whole CSV,
    but dedupes and upserts only the sessions that started in the lookback
    window (var incremental_lookback_days), which takes in late arrivals.
    docs/decisions.md. -#}
{{ config(materialized='incremental', unique_key='session_id') }}

with

source as (

    select * from {{ source('cartify', 'website_sessions') }}

),

renamed as (

    select
        {{ dbt.safe_cast('session_id', dbt.type_int()) }} as session_id,
        {{ dbt.safe_cast('customer_id', dbt.type_int()) }} as customer_id,
        {{ dbt.safe_cast('started_at', dbt.type_timestamp()) }} as started_at,
        lower(nullif(trim(utm_source), '')) as utm_source,
        lower(nullif(trim(utm_medium), '')) as utm_medium,
        -- utm_campaign / utm_content carry the clicked ad's ids
        {{ dbt.safe_cast('utm_campaign', dbt.type_int()) }} as campaign_id,
        {{ dbt.safe_cast('utm_content', dbt.type_int()) }} as ad_id,
        lower(nullif(trim(device_type), '')) as device_type,
        nullif(trim(referrer), '') as referrer_url,
        nullif(trim(landing_page), '') as landing_page,
        {{ dbt.safe_cast('is_repeat_session', dbt.type_boolean()) }}
            as is_repeat_session

    from source

),

-- One row per session: no updated_at, so the earliest start wins and
-- remaining ties break on the other columns (never on file order).
ranked as (

    select
        *,
        row_number() over (
            partition by session_id
            order by
                started_at asc nulls last,
                customer_id asc nulls last,
                ad_id asc nulls last,
                referrer_url asc nulls last,
                landing_page asc nulls last,
                device_type asc nulls last
        ) as version_rank

    from renamed
    where session_id is not null
    {%- if is_incremental() %}
        and started_at >= {{ incremental_lookback_start('started_at') }}
    {%- endif %}

),

final as (

    select
        session_id,
        customer_id,
        started_at,
        utm_source,
        utm_medium,
        campaign_id,
        ad_id,
        device_type,
        referrer_url,
        landing_page,
        is_repeat_session

    from ranked
    where version_rank = 1

)

select * from final
