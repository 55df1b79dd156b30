-- safe_divide on literal operands; returns a row only on a mismatch.
-- Null (not an error, not 0) when the denominator is 0 or null; a fractional
-- result for integer operands (7 / 2 = 3.5; Postgres's int / int gives 3).

with cases as (

    select
        'integers_do_not_truncate' as case_name,
        {{ safe_divide('7', '2') }} as actual_ratio,
        3.5 as expected_ratio

    union all

    select 'quarter', {{ safe_divide('1', '4') }}, 0.25

    union all

    select 'negative', {{ safe_divide('5', '-2') }}, -2.5

    union all

    select 'decimals', {{ safe_divide('1.50', '3.00') }}, 0.5

    union all

    select 'zero_numerator', {{ safe_divide('0', '3') }}, 0

    union all

    select 'zero_denominator', {{ safe_divide('1', '0') }}, null

    union all

    select 'zero_over_zero', {{ safe_divide('0', '0') }}, null

    union all

    select 'decimal_zero_denominator', {{ safe_divide('-3', '0.0') }}, null

    union all

    select
        'null_denominator',
        {{ safe_divide('1', 'cast(null as ' ~ dbt.type_int() ~ ')') }},
        null

    union all

    select
        'null_numerator',
        {{ safe_divide('cast(null as ' ~ dbt.type_int() ~ ')', '2') }},
        null

    union all

    -- the arguments are wrapped in parentheses: an expression stays one operand
    select 'expressions', {{ safe_divide('1 + 2', '2 - 1 + 1') }}, 1.5

)

select *
from cases
where
    (expected_ratio is null and actual_ratio is not null)
    or (
        expected_ratio is not null
        and (
            actual_ratio is null
            or abs(actual_ratio - expected_ratio) > 0.000000001
        )
    )
