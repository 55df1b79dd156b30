-- cartify_parse and cartify_parse_error on literal raw texts; returns a row
-- only on a mismatch. The lenient casts of issue #10 (2.5 -> 3, 1e3 ->
-- 1000.00, 12.345 -> 12.35, an offset dropped) must all be rejected.

with raw_texts as (

    select
        cases.kind,
        cases.raw_text,
        cases.expected_text,
        cases.expected_error
    from (
        values
        ('int', '42', '42', null),
        ('int', '-7', '-7', null),
        ('int', '2.5', null, 'bad_integer'),
        ('int', '1e3', null, 'bad_integer'),
        ('int', ' 4', null, 'bad_integer'),
        ('int', '', null, 'missing_required'),
        ('money', '12.30', '12.30', null),
        ('money', '-0.05', '-0.05', null),
        ('money', '12,30', null, 'bad_money'),
        ('money', '12.345', null, 'bad_money'),
        ('money', '1e3', null, 'bad_money'),
        ('money', '399e-2', null, 'bad_money'),
        ('money', '12.3', null, 'bad_money'),
        ('money', '12', null, 'bad_money'),
        ('double', '51.507400', '51.5074', null),
        ('double', '-2', '-2.0', null),
        ('double', '1e3', null, 'bad_double'),
        ('date', '2025-03-11', '2025-03-11', null),
        ('date', '2025-02-30', null, 'bad_date'),
        ('date', '11/03/2025', null, 'bad_date'),
        ('timestamp', '2025-03-11 11:26:21', '2025-03-11 11:26:21', null),
        ('timestamp', '2025-03-11T11:26:21+02:00', null, 'bad_timestamp'),
        ('timestamp', '2025-03-11T11:26:21', null, 'bad_timestamp'),
        ('timestamp', '2025-12-31 20:0', null, 'bad_timestamp'),
        ('timestamp', '11/03/2025 11:26:21', null, 'bad_timestamp'),
        ('timestamp', '2025-13-01 00:00:00', null, 'bad_timestamp'),
        ('boolean', 'true', 'true', null),
        ('boolean', 'TRUE', null, 'bad_boolean')
    ) as cases (kind, raw_text, expected_text, expected_error)

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
