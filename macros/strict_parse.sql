{#- Strict parsing of raw text against the contract (docs/raw_data.md,
    docs/decisions.md D51). Every raw column is text; these macros turn it
    into a typed value only when the text has exactly the contract's form,
    and otherwise give null, never a lenient guess: `2.5` is not the integer
    3, `1e3` is not 1000.00, `12.345` is not 12.35, `12,30` is not 12.30,
    `2025-03-11T11:26:21+02:00` is not a UTC timestamp.

    cartify_parse(column, kind)        the typed value, or null
    cartify_parse_error(column, kind, required)
                                       the reason code of the field, or null
                                       when it is fine: missing_required,
                                       bad_integer, bad_money, bad_double,
                                       bad_date, bad_timestamp, bad_boolean

    kind is one of the contract's types: int, money (decimal(12,2)), double,
    date, timestamp, boolean, text. The forms (CONTRACT_PATTERNS) are
    anchored regular expressions; cartify_matches() dispatches the regex
    operator (DuckDB regexp_full_match, PostgreSQL ~, Spark rlike). A value
    of the right form that is not a calendar date (2025-02-30) is bad too:
    it fails the cast, which is a try_cast where the engine has one. -#}

{% macro cartify_contract_pattern(kind) -%}
    {%- set patterns = {
        'int': '-?[0-9]+',
        'money': '-?[0-9]+[.][0-9]{2}',
        'double': '-?[0-9]+([.][0-9]+)?',
        'date': '[0-9]{4}-[0-9]{2}-[0-9]{2}',
        'timestamp': '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}',
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
    (3.4+). PostgreSQL has no try_cast: the pattern check before it keeps
    every non-numeric text away from the cast, and a date of the right form
    that does not exist (2025-02-30) is checked by round-tripping through
    to_char, so the cast never sees it. -#}
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
    {%- if kind in ('date', 'timestamp') -%}
        {%- set format = 'YYYY-MM-DD' if kind == 'date'
            else 'YYYY-MM-DD HH24:MI:SS' -%}
        case
            when to_char(
                to_timestamp({{ expression }}, '{{ format }}'), '{{ format }}'
            ) = {{ expression }}
                then cast({{ expression }} as {{ target }})
        end
    {%- else -%}
        cast({{ expression }} as {{ target }})
    {%- endif -%}
{%- endmacro %}

{#- The typed value of a raw text field, or null when it is empty or not of
    the contract's exact form; `type` overrides the SQL type the kind is cast
    to (e.g. money into decimal(9,6), an int into dbt.type_int()). -#}
{% macro cartify_parse(column, kind, type=none) -%}
    {%- if kind == 'text' -%}
        nullif({{ column }}, '')
    {%- else -%}
        case
            when {{ cartify_matches(column, cartify_contract_pattern(kind)) }}
                then {{ cartify_try_cast(column, kind, type) }}
        end
    {%- endif -%}
{%- endmacro %}

{#- The reason code of one raw field, or null when it parses (or is an
    allowed empty). -#}
{% macro cartify_parse_error(column, kind, required=false) -%}
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
            and {{ cartify_parse(column, kind) }} is null
            then 'bad_{{ 'integer' if kind == 'int' else kind }}'
        {%- endif %}
    end
    {%- endif -%}
{%- endmacro %}
