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
        ('int', '9223372036854775807', '9223372036854775807', null),
        ('int', '-9223372036854775808', '-9223372036854775808', null),
        ('int', '0009223372036854775807', '9223372036854775807', null),
        ('int', '9223372036854775808', null, 'bad_integer'),
        ('int', '-9223372036854775809', null, 'bad_integer'),
        ('int', '123456789012345678901234567890', null, 'bad_integer'),
        ('money', '12.30', '12.30', null),
        ('money', '-0.05', '-0.05', null),
        ('money', '12,30', null, 'bad_money'),
        ('money', '12.345', null, 'bad_money'),
        ('money', '1e3', null, 'bad_money'),
        ('money', '399e-2', null, 'bad_money'),
        ('money', '12.3', null, 'bad_money'),
        ('money', '12', null, 'bad_money'),
        ('money', '9999999999.99', '9999999999.99', null),
        ('money', '-9999999999.99', '-9999999999.99', null),
        ('money', '10000000000.00', null, 'bad_money'),
        ('money', '00000000000012.30', '12.30', null),
        ('double', '51.507400', '51.507400', null),
        ('double', '-2', '-2.000000', null),
        ('double', '1e3', null, 'bad_double'),
        ('date', '2025-03-11', '2025-03-11', null),
        ('date', '2025-02-30', null, 'bad_date'),
        ('date', '11/03/2025', null, 'bad_date'),
        ('date', '2024-02-29', '2024-02-29', null),
        ('date', '2000-02-29', '2000-02-29', null),
        ('date', '2025-02-29', null, 'bad_date'),
        ('date', '2100-02-29', null, 'bad_date'),
        ('date', '2025-04-31', null, 'bad_date'),
        ('date', '2025-12-31', '2025-12-31', null),
        ('date', '2025-12-32', null, 'bad_date'),
        ('date', '2025-00-10', null, 'bad_date'),
        ('date', '0000-01-01', null, 'bad_date'),
        ('timestamp', '2025-03-11 11:26:21', '2025-03-11 11:26:21', null),
        ('timestamp', '2025-03-11T11:26:21+02:00', null, 'bad_timestamp'),
        ('timestamp', '2025-03-11T11:26:21', null, 'bad_timestamp'),
        ('timestamp', '2025-12-31 20:0', null, 'bad_timestamp'),
        ('timestamp', '11/03/2025 11:26:21', null, 'bad_timestamp'),
        ('timestamp', '2025-13-01 00:00:00', null, 'bad_timestamp'),
        ('timestamp', '2024-02-29 23:59:59', '2024-02-29 23:59:59', null),
        ('timestamp', '2025-02-29 12:00:00', null, 'bad_timestamp'),
        ('timestamp', '2025-06-31 12:00:00', null, 'bad_timestamp'),
        ('timestamp', '2025-03-11 24:00:00', null, 'bad_timestamp'),
        ('timestamp', '2025-03-11 23:60:00', null, 'bad_timestamp'),
        ('timestamp', '2025-03-11 23:59:60', null, 'bad_timestamp'),
        -- the narrower types staging casts to: integer ids and counts,
        -- coordinates as decimal(9,6) (rounded to 6 places)
        ('integer', '2147483647', '2147483647', null),
        ('integer', '-2147483648', '-2147483648', null),
        ('integer', '2147483648', null, 'bad_integer'),
        ('integer', '99999999999', null, 'bad_integer'),
        ('coordinate', '51.507400', '51.507400', null),
        ('coordinate', '-0.1278', '-0.127800', null),
        ('coordinate', '999.999999', '999.999999', null),
        ('coordinate', '999.9999999', null, 'bad_double'),
        ('coordinate', '1000', null, 'bad_double'),
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
                -- through a decimal: engines spell a double as text
                -- differently (-2.0 on DuckDB and Spark, -2 on PostgreSQL)
                then cast(
                    cast(
                        {{ cartify_parse('raw_text', 'double') }}
                        as decimal(18, 6)
                    )
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
            when 'integer'
                then cast(
                    {{ cartify_parse('raw_text', 'int', dbt.type_int()) }}
                    as {{ dbt.type_string() }}
                )
            when 'coordinate'
                then cast(
                    {{ cartify_parse('raw_text', 'double', 'decimal(9,6)') }}
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
            when 'integer' then {{
                cartify_parse_error('raw_text', 'int', true, dbt.type_int())
            }}
            when 'coordinate' then {{
                cartify_parse_error('raw_text', 'double', true, 'decimal(9,6)')
            }}
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
