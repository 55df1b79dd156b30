{#- Strict parsing of raw text against the contract (docs/raw_data.md,
    docs/decisions.md D51). Every raw column is text; these macros turn it
    into a typed value only when the text has exactly the contract's form,
    and otherwise give null, never a lenient guess: `2.5` is not the integer
    3, `1e3` is not 1000.00, `12.345` is not 12.35, `12,30` is not 12.30,
    `2025-03-11T11:26:21+02:00` is not a UTC timestamp.

    cartify_parse(column, kind)        the typed value, or null
    cartify_parse_error(column, kind, required, type)
                                       the reason code of the field, or null
                                       when it is fine: missing_required,
                                       bad_integer, bad_money, bad_double,
                                       bad_date, bad_timestamp, bad_boolean

    kind is one of the contract's types: int, money (decimal(12,2)), double,
    date, timestamp, boolean, text. The forms (CONTRACT_PATTERNS) are
    anchored regular expressions; cartify_matches() dispatches the regex
    operator (DuckDB regexp_full_match, PostgreSQL ~, Spark rlike). A value
    of the right form that is not a calendar date (2025-02-30) or does not
    fit its type (an integer beyond bigint) is bad too: try_cast gives null
    on DuckDB and Spark, a guard before the cast on PostgreSQL (D60). -#}

{% macro cartify_contract_pattern(kind) -%}
    {#- year 0001-9999, month 01-12, day 01-31 (whether the month has the day
        is the cast's business), hour 00-23, minute and second 00-59: every
        engine then agrees (DuckDB alone would take year 0000 and 24:00:00) -#}
    {%- set date -%}
        (000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])
    {%- endset -%}
    {%- set time = '([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]' -%}
    {%- set patterns = {
        'int': '-?[0-9]+',
        'money': '-?[0-9]+[.][0-9]{2}',
        'double': '-?[0-9]+([.][0-9]+)?',
        'date': date,
        'timestamp': date ~ ' ' ~ time,
        'boolean': '(true|false)',
    } -%}
    {%- if kind not in patterns -%}
        {{ exceptions.raise_compiler_error(
            "cartify_contract_pattern: unknown kind " ~ kind
            ~ " (one of " ~ patterns.keys() | join(', ') ~ ")") }}
    {%- endif -%}
    {{ return(patterns[kind]) }}
{%- endmacro %}

{% macro cartify_contract_type(kind) -%}
    {%- set types = {
        'int': dbt.type_bigint(),
        'money': 'decimal(12,2)',
        'double': cartify_type_double(),
        'date': 'date',
        'timestamp': dbt.type_timestamp(),
        'boolean': dbt.type_boolean(),
        'text': dbt.type_string(),
    } -%}
    {{ return(types[kind]) }}
{%- endmacro %}

{#- `double precision` except on Spark (`double`), as in safe_divide. -#}
{% macro cartify_type_double() %}
    {{ return(adapter.dispatch('cartify_type_double', 'cartify')()) }}
{% endmacro %}

{% macro default__cartify_type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__cartify_type_double() -%}
    double
{%- endmacro %}

{#- True when the whole of `expression` matches `pattern` (null on null). -#}
{% macro cartify_matches(expression, pattern) %}
    {{ return(adapter.dispatch('cartify_matches', 'cartify')(
        expression, pattern
    )) }}
{% endmacro %}

{% macro default__cartify_matches(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__cartify_matches(expression, pattern) -%}
    (({{ expression }}) ~ '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro spark__cartify_matches(expression, pattern) -%}
    (({{ expression }}) rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{#- A cast that gives null instead of failing: try_cast on DuckDB and Spark
    (3.4+). PostgreSQL has no try_cast, so its cast is guarded: the pattern
    check before it keeps every text that is not of the contract's form away,
    and postgres__cartify_cast_guard adds what the pattern cannot say (a day
    the month does not have, a number beyond the type's range), so the cast
    never sees a value it would fail on. -#}
{% macro cartify_try_cast(expression, kind, type=none) %}
    {{ return(adapter.dispatch('cartify_try_cast', 'cartify')(
        expression, kind, type
    )) }}
{% endmacro %}

{% macro default__cartify_try_cast(expression, kind, type=none) -%}
    try_cast({{ expression }} as {{ type or cartify_contract_type(kind) }})
{%- endmacro %}

{% macro postgres__cartify_try_cast(expression, kind, type=none) -%}
    {%- set target = type or cartify_contract_type(kind) -%}
    {%- set guard = postgres__cartify_cast_guard(expression, kind, target) -%}
    {%- if guard -%}
        case when {{ guard }} then cast({{ expression }} as {{ target }}) end
    {%- else -%}
        cast({{ expression }} as {{ target }})
    {%- endif -%}
{%- endmacro %}

{#- PostgreSQL: true when `expression`, already of the contract's form for
    `kind`, casts to `target` without an error; '' when every such text does.
    Nested cases, because PostgreSQL evaluates a case's branches in order
    (an `and` may evaluate either side first).
    - date, timestamp: the day exists in its month (28/29/30/31, the
      Gregorian leap years); the pattern already bounds month, hour, minute
      and second.
    - integer types: at most the type's digits (leading zeros aside), then
      within its bounds, compared as numeric.
    - decimal(p, s): at most p - s integer digits, and the value rounded to
      s places below 10^(p - s); at most 1000 characters (a longer fraction
      overflows numeric's input; no contract value comes near).
    - double precision: at most 1000 characters, magnitude within 1e-300 ..
      1e300 or zero (beyond, float8's input fails; DuckDB and Spark would
      give an infinity or a zero there, the one place the engines differ,
      on texts no contract column holds). -#}
{% macro postgres__cartify_cast_guard(expression, kind, target) -%}
    {%- set type_name = target | trim | lower -%}
    {%- set integer_bounds = {
        'smallint': ['-32768', '32767'],
        'integer': ['-2147483648', '2147483647'],
        'int': ['-2147483648', '2147483647'],
        'bigint': ['-9223372036854775808', '9223372036854775807'],
    } -%}
    {%- set decimal_type = modules.re.fullmatch(
        '(?:decimal|numeric)\\s*\\(\\s*([0-9]+)\\s*,\\s*([0-9]+)\\s*\\)', type_name
    ) -%}
    {%- set unsigned = "ltrim(" ~ expression ~ ", '-')" -%}
    {%- if kind in ('date', 'timestamp') -%}
        {%- set year = "cast(substr(" ~ expression ~ ", 1, 4) as integer)" -%}
        {%- set month = "cast(substr(" ~ expression ~ ", 6, 2) as integer)" -%}
        {%- set day = "cast(substr(" ~ expression ~ ", 9, 2) as integer)" -%}
        {{ day }} <= case
            when {{ month }} in (4, 6, 9, 11) then 30
            when {{ month }} <> 2 then 31
            when {{ year }} % 4 = 0
                and ({{ year }} % 100 <> 0 or {{ year }} % 400 = 0) then 29
            else 28
        end
    {%- elif type_name in integer_bounds -%}
        {%- set bounds = integer_bounds[type_name] -%}
        case
            when length(ltrim({{ unsigned }}, '0'))
                <= {{ bounds[1] | length }}
                then cast({{ expression }} as numeric)
                    between {{ bounds[0] }} and {{ bounds[1] }}
            else false
        end
    {%- elif decimal_type -%}
        {%- set precision = decimal_type.group(1) | int -%}
        {%- set scale = decimal_type.group(2) | int -%}
        case
            when length({{ expression }}) <= 1000
                and length(ltrim(split_part({{ unsigned }}, '.', 1), '0'))
                <= {{ precision - scale }}
                then abs(round(cast({{ expression }} as numeric), {{ scale }}))
                    < 1{{ '0' * (precision - scale) }}
            else false
        end
    {%- elif type_name in ('double precision', 'float8', 'real', 'float4') -%}
        case
            when length({{ expression }}) <= 1000
                then abs(cast({{ expression }} as numeric)) <= 1e300
                    and (
                        abs(cast({{ expression }} as numeric)) >= 1e-300
                        or cast({{ expression }} as numeric) = 0
                    )
            else false
        end
    {%- endif -%}
{%- endmacro %}

{#- The typed value of a raw text field, or null when it is empty or not of
    the contract's exact form; `type` overrides the SQL type the kind is cast
    to (e.g. money into decimal(9,6), an int into dbt.type_int()). -#}
{% macro cartify_parse(column, kind, type=none) -%}
    {%- if kind == 'text' -%}
        nullif({{ column }}, '')
    {%- else -%}
        {#- the outer cast keeps the type's modifier on PostgreSQL, where a
            case without an else is an unscaled numeric: an incremental
            model's new rows would otherwise differ from its contract's
            decimal(12,2) (on_schema_change: fail). A no-op elsewhere. -#}
        cast(
            case
                when {{ cartify_matches(column, cartify_contract_pattern(kind)) }}
                    then {{ cartify_try_cast(column, kind, type) }}
            end
            as {{ type or cartify_contract_type(kind) }}
        )
    {%- endif -%}
{%- endmacro %}

{#- The reason code of one raw field, or null when it parses (or is an
    allowed empty); `type` as in cartify_parse (a value beyond an integer
    column's range is bad_integer). -#}
{% macro cartify_parse_error(column, kind, required=false, type=none) -%}
    {%- if kind == 'text' and not required -%}
        cast(null as {{ dbt.type_string() }})
    {%- else -%}
    case
        {%- if required %}
        when {{ column }} is null or {{ column }} = ''
            then 'missing_required'
        {%- endif %}
        {%- if kind != 'text' %}
        when {{ column }} <> ''
            and {{ cartify_parse(column, kind, type) }} is null
            then 'bad_{{ 'integer' if kind == 'int' else kind }}'
        {%- endif %}
    end
    {%- endif -%}
{%- endmacro %}
