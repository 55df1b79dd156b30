with

source as (

    select * from {{ source('cartify', 'ads') }}

),

renamed as (

    select
        {{ dbt.safe_cast('ad_id', dbt.type_int()) }} as ad_id,
        {{ dbt.safe_cast('campaign_id', dbt.type_int()) }} as campaign_id,
        nullif(trim(ad_name), '') as ad_name,
        lower(nullif(trim(platform), '')) as platform,
        lower(nullif(trim(ad_format), '')) as ad_format,
        lower(nullif(trim(placement), '')) as placement,
        lower(nullif(trim(status), '')) as ad_status,
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('updated_at', dbt.type_timestamp()) }} as updated_at

    from source

),

-- One row per ad: the latest version by updated_at; remaining ties break on
-- the other columns so the choice never depends on file order.
ranked as (

    select
        *,
        row_number() over (
            partition by ad_id
            order by
                updated_at desc nulls last,
                created_at desc nulls last,
                ad_status desc nulls last,
                ad_name desc nulls last
        ) as version_rank

    from renamed
    where ad_id is not null

),

final as (

    select
        ad_id,
        campaign_id,
        -- the (platform, placement) key of stg_cartify__ad_placement_pricing
        {{ cartify_surrogate_key(['platform', 'placement']) }}
            as ad_placement_id,
        ad_name,
        platform,
        ad_format,
        placement,
        ad_status,
        created_at,
        updated_at

    from ranked
    where version_rank = 1

)

select * from final
