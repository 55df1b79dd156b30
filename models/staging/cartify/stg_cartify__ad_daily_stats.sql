with

source as (

    select * from {{ source('cartify', 'ad_daily_stats') }}

),

renamed as (

    select
        {{ dbt.safe_cast('ad_id', dbt.type_int()) }} as ad_id,
        {{ dbt.safe_cast('stat_date', 'date') }} as stat_date,
        {{ dbt.safe_cast('impressions', dbt.type_int()) }} as impressions,
        {{ dbt.safe_cast('reach', dbt.type_int()) }} as reach,
        {{ dbt.safe_cast('clicks', dbt.type_int()) }} as clicks,
        {{ dbt.safe_cast('leads', dbt.type_int()) }} as leads,
        {{ dbt.safe_cast('spend', 'decimal(12,2)') }} as spend_amount

    from source

),

-- One row per ad and day. No updated_at: a repeated (ad_id, stat_date) keeps
-- the row with the highest counts, ties broken on the remaining columns, so
-- the choice never depends on file order and a copied row never doubles.
ranked as (

    select
        *,
        row_number() over (
            partition by ad_id, stat_date
            order by
                impressions desc nulls last,
                clicks desc nulls last,
                spend_amount desc nulls last,
                reach desc nulls last,
                leads desc nulls last
        ) as version_rank

    from renamed
    where ad_id is not null and stat_date is not null

),

final as (

    select
        {{ cartify_surrogate_key(['ad_id', 'stat_date']) }}
            as ad_daily_stat_id,
        ad_id,
        stat_date,
        impressions,
        reach,
        clicks,
        leads,
        spend_amount

    from ranked
    where version_rank = 1

)

select * from final
