-- cartify_surrogate_key on literal rows; returns a row only on a mismatch.
-- Expected keys are md5 hex digests computed independently in Python
-- (hashlib.md5) of the '-'-joined text, nulls as the sentinel text:
--   ('a', 'b')    -> md5('a-b')                             8ca2ed59...
--   ('a', null)   -> md5('a-_cartify_surrogate_key_null_')  e99b677e...
--   ('a', '')     -> md5('a-')                              d538f780...
--   (1, null)     -> md5('1-_cartify_surrogate_key_null_')  f7766f93...
--   (null, 1)     -> md5('_cartify_surrogate_key_null_-1')  bf8e45bc...
--   ('a')         -> md5('a')                               0cc175b9...
-- So the key is stable (a fixed function of the values), and (a, null),
-- (null, a) and (a, '') all get different keys.

with literal_cases as (

    select
        'two_strings' as case_name,
        {{ cartify_surrogate_key(["'a'", "'b'"]) }} as actual_key,
        '8ca2ed590cf2ea2404f2e67641bcdf50' as expected_key

    union all

    select
        'string_then_null',
        {{ cartify_surrogate_key([
            "'a'", "cast(null as " ~ dbt.type_string() ~ ")"
        ]) }},
        'e99b677ec3dbe6511d120a91f2eae5a7'

    union all

    select
        'string_then_empty_string',
        {{ cartify_surrogate_key(["'a'", "''"]) }},
        'd538f78051e4b51f0eb2736f4f40addb'

    union all

    select
        'single_field',
        {{ cartify_surrogate_key(["'a'"]) }},
        '0cc175b9c0f1b6a831c399e269772661'

),

-- the same macro over columns of a relation, with integers and nulls
column_rows as (

    select 1 as left_id, cast(null as {{ dbt.type_int() }}) as right_id,
        'f7766f93070cec3b6d0ec9867802a069' as expected_key

    union all

    select cast(null as {{ dbt.type_int() }}), 1,
        'bf8e45bcc7ba315815554fd7f2b7cdd8'

),

column_cases as (

    select
        'integer_columns_with_null' as case_name,
        {{ cartify_surrogate_key(['left_id', 'right_id']) }} as actual_key,
        expected_key
    from column_rows

),

all_cases as (

    select * from literal_cases
    union all
    select * from column_cases

)

select *
from all_cases
where actual_key is null or actual_key <> expected_key
