-- round_number and cast_to_decimal on literal operands; returns a row only on
-- a mismatch. The same expected values on DuckDB, PostgreSQL and Spark:
-- halves round away from zero, and a double that is a decimal half (109.82 /
-- 184.96 = 0.59375) rounds up although its binary value is just below it.

with cases as (

    select
        'double_half_up' as case_name,
        {{ round_number('cast(0.125 as ' ~ type_double() ~ ')', 2) }}
            as actual_value,
        cast(0.13 as decimal(12, 4)) as expected_value

    union all

    select
        'decimal_half_up',
        {{ round_number('cast(2.345 as decimal(12, 3))', 2) }},
        cast(2.35 as decimal(12, 4))

    union all

    select
        'double_ratio',
        {{ round_number(safe_divide('2', '3'), 4) }},
        cast(0.6667 as decimal(12, 4))

    union all

    select
        'negative_half_away_from_zero',
        {{ round_number('cast(-2.5 as ' ~ type_double() ~ ')', 0) }},
        cast(-3 as decimal(12, 4))

    union all

    select
        'decimal_half_of_a_binary_double',
        {{ cast_to_decimal(safe_divide('109.82', '184.96'), 12, 4) }},
        cast(0.5938 as decimal(12, 4))

    union all

    select
        'third',
        {{ cast_to_decimal(safe_divide('1', '3'), 9, 4) }},
        cast(0.3333 as decimal(12, 4))

    union all

    select
        'distance',
        {{ cast_to_decimal('cast(170.2335 as ' ~ type_double() ~ ')', 12, 3) }},
        cast(170.234 as decimal(12, 4))

    union all

    select
        'null',
        {{ cast_to_decimal('cast(null as ' ~ type_double() ~ ')', 9, 4) }},
        null

)

select *
from cases
where
    (expected_value is null and actual_value is not null)
    or (expected_value is not null and actual_value is null)
    or cast(actual_value as decimal(12, 4)) <> expected_value
