with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('ads') }}

),

final as (

    select
        ad_id,
        campaign_id,
        {{ cartify_surrogate_key(['platform', 'placement']) }}
            as ad_placement_id,
        ad_name,
        platform,
        ad_format,
        placement,
        status as ad_status,
        created_at,
        updated_at

    from trusted

)

select * from final
