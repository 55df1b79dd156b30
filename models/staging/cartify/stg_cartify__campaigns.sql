with

source as (

    select * from {{ source('cartify', 'campaigns') }}

),

renamed as (

    select
        {{ dbt.safe_cast('campaign_id', dbt.type_int()) }} as campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        lower(nullif(trim(channel), '')) as channel,
        lower(nullif(trim(objective), '')) as objective,
        {{ dbt.safe_cast('start_date', 'date') }} as start_date,
        {{ dbt.safe_cast('end_date', 'date') }} as end_date,
        {{ dbt.safe_cast('budget', 'decimal(12,2)') }} as budget_amount,
        {{ dbt.safe_cast('created_at', dbt.type_timestamp()) }} as created_at,
        {{ dbt.safe_cast('updated_at', dbt.type_timestamp()) }} as updated_at

    from source

),

-- One row per campaign: the latest version by updated_at; remaining ties
-- break on the other columns so the choice never depends on file order.
ranked as (

    select
        *,
        row_number() over (
            partition by campaign_id
            order by
                updated_at desc nulls last,
                created_at desc nulls last,
                end_date desc nulls last,
                budget_amount desc nulls last,
                campaign_name desc nulls last
        ) as version_rank

    from renamed
    where campaign_id is not null

),

final as (

    select
        campaign_id,
        campaign_name,
        channel,
        objective,
        start_date,
        end_date,
        budget_amount,
        created_at,
        updated_at

    from ranked
    where version_rank = 1

)

select * from final
