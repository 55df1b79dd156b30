-- haversine_km on literal points with independently known answers; returns a
-- row only where the macro is off by more than 1 mm (1e-6 km).
-- Expected values were computed in Python (math module, R = 6371 km) with the
-- haversine formula and cross-checked with the spherical law of cosines and
-- the atan2 form, which agree to 1e-9 km:
--   London (51.5074, -0.1278) to Paris (48.8566, 2.3522): 343.556060341 km
--   New York (40.7128, -74.0060) to London:               5570.222179738 km
--   one degree of longitude on the equator, 2*pi*6371/360: 111.194926645 km
--   antipodal points, pi * 6371:                         20015.086796021 km
--   a point to itself: 0 km; any null input: null

with cases as (

    select
        'london_paris' as case_name,
        {{ haversine_km('51.5074', '-0.1278', '48.8566', '2.3522') }}
            as actual_km,
        343.556060341 as expected_km

    union all

    select
        'paris_london_symmetric',
        {{ haversine_km('48.8566', '2.3522', '51.5074', '-0.1278') }},
        343.556060341

    union all

    select
        'new_york_london',
        {{ haversine_km('40.7128', '-74.0060', '51.5074', '-0.1278') }},
        5570.222179738

    union all

    select
        'one_degree_of_longitude_on_equator',
        {{ haversine_km('0', '0', '0', '1') }},
        111.194926645

    union all

    select
        'same_point',
        {{ haversine_km('51.5074', '-0.1278', '51.5074', '-0.1278') }},
        0

    union all

    -- asin's argument rounds to 1 (or just above): least(1, ...) guards it
    select
        'antipodal_on_equator',
        {{ haversine_km('0', '0', '0', '180') }},
        20015.086796021

    union all

    select
        'antipodal_off_equator',
        {{ haversine_km('45', '10', '-45', '-170') }},
        20015.086796021

    union all

    -- least(1, null) is 1 on DuckDB/Postgres/Spark: a null must not turn into
    -- the antipodal distance
    select
        'null_latitude',
        {{ haversine_km(
            'cast(null as ' ~ type_double() ~ ')', '0', '0', '0'
        ) }},
        null

    union all

    select
        'null_longitude',
        {{ haversine_km(
            '0', '0', '0', 'cast(null as ' ~ type_double() ~ ')'
        ) }},
        null

)

select *
from cases
where
    (expected_km is null and actual_km is not null)
    or (
        expected_km is not null
        and (actual_km is null or abs(actual_km - expected_km) > 0.000001)
    )
