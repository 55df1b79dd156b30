with

source as (

    select * from {{ ref('distribution_centers') }}

),

renamed as (

    select
        cast(distribution_center_id as {{ dbt.type_int() }})
            as distribution_center_id,
        trim(distribution_center_name) as distribution_center_name,
        trim(city) as city,
        trim(country) as country,
        upper(trim(country_code)) as country_code,
        cast(latitude as decimal(9, 6)) as latitude,
        cast(longitude as decimal(9, 6)) as longitude

    from source

)

select * from renamed
