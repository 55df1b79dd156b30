with

source as (

    select * from {{ source('cartify', 'ad_daily_stats') }}

),

renamed as (

    select
        {{ cartify_parse('ad_id', 'int', dbt.type_int()) }} as ad_id,
        {{ cartify_parse('stat_date', 'date', 'date') }} as stat_date,
        {{ cartify_parse('impressions', 'int', dbt.type_int()) }}
            as impressions,
        {{ cartify_parse('reach', 'int', dbt.type_int()) }} as reach,
        {{ cartify_parse('clicks', 'int', dbt.type_int()) }} as clicks,
        {{ cartify_parse('leads', 'int', dbt.type_int()) }} as leads,
        {{ cartify_parse('spend', 'money', 'decimal(12,2)') }} as spend_amount

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
