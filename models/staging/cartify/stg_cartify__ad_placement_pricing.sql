with

source as (

    select * from {{ ref('ad_placement_pricing') }}

),

renamed as (

    select
        lower(trim(platform)) as platform,
        lower(trim(placement)) as placement,
        lower(trim(pricing_model)) as pricing_model,
        cast(unit_price as decimal(12, 2)) as unit_price

    from source

),

final as (

    select
        {{ cartify_surrogate_key(['platform', 'placement']) }}
            as ad_placement_id,
        platform,
        placement,
        pricing_model,
        unit_price

    from renamed

)

select * from final
