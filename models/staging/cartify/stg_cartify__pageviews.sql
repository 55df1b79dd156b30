with

source as (

    select * from {{ source('raw', 'pageviews') }}

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
