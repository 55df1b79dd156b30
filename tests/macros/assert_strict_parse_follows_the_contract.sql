-- cartify_parse and cartify_parse_error on literal raw texts; returns a row
-- only on a mismatch. The lenient casts of issue #10 (2.5 -> 3, 1e3 ->
-- 1000.00, 12.345 -> 12.35, an offset dropped) must all be rejected.

with raw_texts as (

    select
        'int' as kind, '42' as raw_text, '42' as expected_text,
        cast(null as varchar) as expected_error
    union all
    select 'int', '-7', '-7', null
    union all
    select 'int', '2.5', null, 'bad_integer'
    union all
    select 'int', '1e3', null, 'bad_integer'
    union all
    select 'int', ' 4', null, 'bad_integer'
    union all
    select 'int', '', null, 'missing_required'
    union all
    select 'money', '12.30', '12.30', null
    union all
    select 'money', '-0.05', '-0.05', null
    union all
    select 'money', '12,30', null, 'bad_money'
    union all
    select 'money', '12.345', null, 'bad_money'
    union all
    select 'money', '1e3', null, 'bad_money'
    union all
    select 'money', '399e-2', null, 'bad_money'
    union all
    select 'money', '12.3', null, 'bad_money'
    union all
    select 'money', '12', null, 'bad_money'
    union all
    select 'double', '51.507400', '51.5074', null
    union all
    select 'double', '-2', '-2.0', null
    union all
    select 'double', '1e3', null, 'bad_double'
    union all
    select 'date', '2025-03-11', '2025-03-11', null
    union all
    select 'date', '2025-02-30', null, 'bad_date'
    union all
    select 'date', '11/03/2025', null, 'bad_date'
    union all
    select 'timestamp', '2025-03-11 11:26:21', '2025-03-11 11:26:21', null
    union all
    select 'timestamp', '2025-03-11T11:26:21+02:00', null, 'bad_timestamp'
    union all
    select 'timestamp', '2025-03-11T11:26:21', null, 'bad_timestamp'
    union all
    select 'timestamp', '2025-12-31 20:0', null, 'bad_timestamp'
    union all
    select 'timestamp', '11/03/2025 11:26:21', null, 'bad_timestamp'
    union all
    select 'timestamp', '2025-13-01 00:00:00', null, 'bad_timestamp'
    union all
    select 'boolean', 'true', 'true', null
    union all
    select 'boolean', 'TRUE', null, 'bad_boolean'

),

parsed as (

    select
        kind,
        raw_text,
        expected_text,
        expected_error,
        case kind
            when 'int'
                then cast(
                    {{ cartify_parse('raw_text', 'int') }}
                    as {{ dbt.type_string() }}
                )
            when 'money'
                then cast(
                    {{ cartify_parse('raw_text', 'money') }}
                    as {{ dbt.type_string() }}
                )
            when 'double'
                then cast(
                    {{ cartify_parse('raw_text', 'double') }}
                    as {{ dbt.type_string() }}
                )
            when 'date'
                then cast(
                    {{ cartify_parse('raw_text', 'date') }}
                    as {{ dbt.type_string() }}
                )
            when 'timestamp'
                then cast(
                    {{ cartify_parse('raw_text', 'timestamp') }}
                    as {{ dbt.type_string() }}
                )
            when 'boolean' then cast(
                {{ cartify_parse('raw_text', 'boolean') }}
                as {{ dbt.type_string() }}
            )
        end as actual_text,
        case kind
            when 'int' then {{ cartify_parse_error('raw_text', 'int', true) }}
            when 'money'
                then {{ cartify_parse_error('raw_text', 'money', true) }}
            when 'double'
                then {{ cartify_parse_error('raw_text', 'double', true) }}
            when 'date' then {{ cartify_parse_error('raw_text', 'date', true) }}
            when 'timestamp'
                then {{ cartify_parse_error('raw_text', 'timestamp', true) }}
            when 'boolean'
                then {{ cartify_parse_error('raw_text', 'boolean', true) }}
        end as actual_error
    from raw_texts

)

select *
from parsed
where
    coalesce(actual_text, '<null>') <> coalesce(expected_text, '<null>')
    or coalesce(actual_error, '<null>') <> coalesce(expected_error, '<null>')
