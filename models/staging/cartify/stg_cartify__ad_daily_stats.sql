with

-- The raw rows staging trusts: kept by their table's checks and by the
-- cross-table checks (macros/cartify_checked_rows.sql); every other row is
-- in quarantined_rows with its reason.
trusted as (

    {{ cartify_trusted_rows('ad_daily_stats') }}

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
        spend as spend_amount

    from trusted

)

select * from final
