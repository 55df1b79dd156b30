{#- Row-level checks of one raw table (docs/decisions.md D65, D66): the body
    of every base_cartify__<table> model, so the per-table logic is written
    once. Every raw row the reader returned comes out once, typed, with

      source_file, source_row   where it was read (cartify_source_file,
                                cartify_source_row: DuckDB's file name and
                                the row's ordinal among the rows read from
                                its file, 1-based; a Parquet world has one
                                file per month)
      row_key                   the primary key as raw text (ad_daily_stats:
                                `ad_id|stat_date`), on the rows not kept and
                                on a kept row whose key text is not its typed
                                key's (`007`); null otherwise, where
                                cartify_typed_key_text gives it back (D81)
      row_status                kept | duplicate | quarantined
      reason_code, reason_column  why a row is quarantined, and the field
      is_repaired               a text field was trimmed or its case fixed
      raw_text                  the raw fields joined by commas, for the
                                rows not kept (null on kept rows)

    and the contract's columns (cartify_raw_contract) under their raw names,
    parsed strictly (cartify_parse: the contract's exact form or null).

    Reasons, first match wins: missing_required, bad_integer, bad_money,
    bad_double, bad_date, bad_timestamp, bad_boolean (a field, in file
    order); then conflicting_resend (the key more than once with different
    text: every copy, no tie-break); then the table's own `rules` ([reason,
    condition on the typed columns, field], e.g. ['out_of_range',
    'quantity < 1', 'quantity']). Exact copies of a trusted row keep the first
    (lowest source_file, then source_row) and count the others as
    `duplicate`.

    Repairs (unambiguous only): text fields are trimmed and an empty text is
    null; `codes` are lower-cased, `upper_codes` upper-cased. Numbers, dates
    and timestamps are never repaired. `types` overrides a column's SQL type
    (default per kind: int -> dbt.type_int(), money -> decimal(12,2), ...).
    `key` is the primary key (default: cartify_row_key_columns).
    `incremental` (the event tables' models): on DuckDB read again only the
    raw files that changed, and add source_file_version and load_id
    (macros/cartify_raw_increments.sql, D88); `read_all_when` is a condition
    on the held rows that makes a run read every file. -#}
{% macro cartify_checked_rows(
    table, key=none, codes=[], upper_codes=[], rules=[], types={},
    incremental=false, read_all_when=none
) %}
    {%- set columns = cartify_raw_contract()[table] -%}
    {%- set key = key or cartify_row_key_columns(table) -%}
    {%- set file_position = cartify_file_position() | trim -%}
    {%- set default_types = {
        'int': dbt.type_int(),
        'money': 'decimal(12,2)',
        'double': cartify_type_double(),
        'date': 'date',
        'timestamp': dbt.type_timestamp(),
        'boolean': dbt.type_boolean(),
    } -%}
    {%- set raw_fields = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do raw_fields.append("','") -%}{%- endif -%}
        {%- do raw_fields.append("coalesce(raw__" ~ column[0] ~ ", '')") -%}
    {%- endfor -%}
    {%- set raw_fields_again = [] -%}
    {%- for column in columns -%}
        {%- do raw_fields_again.append(
            "coalesce(" ~ adapter.quote(column[0]) ~ ", '')") -%}
    {%- endfor -%}
    {%- set key_fields = [] -%}
    {%- for column in key -%}
        {%- if not loop.first -%}{%- do key_fields.append("'|'") -%}{%- endif -%}
        {%- do key_fields.append("coalesce(raw__" ~ column ~ ", '')") -%}
    {%- endfor -%}
    {%- set parsed_key = [] -%}
    {%- for column in key -%}
        {%- set kind = (columns | selectattr(0, 'equalto', column)
            | first)[1] -%}
        {%- do parsed_key.append(cartify_parse(
            adapter.quote(column), kind, types.get(column, default_types[kind])
        )) -%}
    {%- endfor -%}
    {%- if incremental -%}
        {%- set plan = cartify_raw_increment_plan(
            table, key, parsed_key, read_all_when) -%}
        {#- Why an incremental run reads every file, in dbt's log: a weekly
            run that is slow says why. -#}
        {%- if execute and plan['read_all'] and is_incremental() -%}
            {%- do log(this.identifier ~ ' reads every file: '
                ~ plan['why'], info=true) -%}
        {%- elif execute and is_incremental() -%}
            {%- do log(this.identifier ~ ' reads ' ~ plan['files'] | length
                ~ ' new or changed file(s)', info=true) -%}
        {%- endif -%}
    {%- else -%}
        {%- set plan = {'read_all': true} -%}
    {%- endif -%}
    {%- set file_filter -%}
        {%- if not plan['read_all'] -%}
        where {{ cartify_source_file(table) }} in (
            {{- cartify_sql_strings(plan['files']) if plan['files'] else 'null' -}}
        )
        {%- endif -%}
    {%- endset %}

with

source as (

    select
        {{ cartify_source_file(table) }} as source_file,
        {{ cartify_source_row() }} as source_row,
        {%- if file_position %}
        {{ file_position }} as read_position,
        {%- endif %}
        {%- for column in columns %}
        {{ adapter.quote(column[0]) }} as raw__{{ column[0] }}
        {{- ',' if not loop.last }}
        {%- endfor %}

    from {{ source('cartify', table) }}
    {{ file_filter }}

),

parsed as (

    select
        source_file,
        source_row,
        {%- if file_position %}
        read_position,
        {%- endif %}
        {{ dbt.concat(key_fields) if key_fields | length > 1
            else key_fields[0] }} as row_key,
        {%- for column in columns %}
        {%- set name, kind = column[0], column[1] %}
        {%- if kind == 'text' %}
        {%- set trimmed = "nullif(trim(raw__" ~ name ~ "), '')" %}
        {%- if name in codes %}
        lower({{ trimmed }}) as {{ name }},
        {%- elif name in upper_codes %}
        upper({{ trimmed }}) as {{ name }},
        {%- else %}
        {{ trimmed }} as {{ name }},
        {%- endif %}
        {%- else %}
        {{ cartify_parse(
            'raw__' ~ name, kind, types.get(name, default_types[kind])
        ) }} as {{ name }},
        {%- endif %}
        {%- endfor %}
        {%- for column in columns %}
        raw__{{ column[0] }}{{ ',' if not loop.last }}
        {%- endfor %}

    from source

),

checked as (

    select
        *,
        case
            {%- for column in columns %}
            {%- set name, kind, required = column %}
            {%- if required %}
            when {{ name }} is null and coalesce(raw__{{ name }}, '') = ''
                then 'missing_required'
            {%- endif %}
            {%- if kind != 'text' %}
            when {{ name }} is null and raw__{{ name }} <> ''
                then 'bad_{{ 'integer' if kind == 'int' else kind }}'
            {%- elif required %}
            when {{ name }} is null
                then 'missing_required'
            {%- endif %}
            {%- endfor %}
        end as field_reason,
        case
            {%- for rule in rules %}
            when {{ rule[1] }}
                then '{{ rule[0] }}'
            {%- endfor %}
            {%- if not rules %}
            when false then ''
            {%- endif %}
        end as rule_reason,
        case
            {%- for column in columns %}
            {%- set name, kind, required = column %}
            {%- if required %}
            when {{ name }} is null then '{{ name }}'
            {%- elif kind != 'text' %}
            when {{ name }} is null and raw__{{ name }} <> ''
                then '{{ name }}'
            {%- endif %}
            {%- endfor %}
            {%- for rule in rules %}
            when {{ rule[1] }}
                then '{{ rule[2] if rule | length > 2 else '' }}'
            {%- endfor %}
        end as field_column,
        (
            false
            {%- for column in columns if column[1] == 'text' %}
            or coalesce(raw__{{ column[0] }}, '')
            <> coalesce({{ column[0] }}, '')
            {%- endfor %}
        ) as is_repaired

    from parsed

),

-- Keys read more than once, from a second scan of the raw rows (a CTE read
-- twice would be held in memory whole: a 12M-row table spilled at scale 10),
-- with their first copy and whether the copies differ (a hash of the raw
-- text): cartify_repeated_keys, no window partitioned by key.
rows_read_again as (

    select
        {{ cartify_source_file(table) }} as source_file,
        {{ cartify_source_row() }} as source_row,
        {%- if file_position %}
        {{ file_position }} as read_position,
        {%- endif %}
        {%- for column in key %}
        {{ parsed_key[loop.index0] }} as {{ column }},
        {%- endfor %}
        {{ cartify_hash(raw_fields_again) }} as row_hash
    from {{ source('cartify', table) }}
    {{ file_filter }}

),

repeated as (
    {{ cartify_repeated_keys(
        key, cartify_read_position('rows_read_again'), 'rows_read_again') }}
),

copies as (

    select
        checked.*,
        repeated.first_position is not null
        and {{ cartify_read_position('checked') }}
        <> repeated.first_position as is_later_copy,
        coalesce(repeated.first_hash <> repeated.last_hash, false)
            as is_conflicting
    from checked
    left join repeated
        on
        {%- for column in key %}
            {{ 'and ' if not loop.first }}checked.{{ column }}
            = repeated.{{ column }}
        {%- endfor %}

),

final as (

    select
        source_file,
        source_row,
        -- 12M unique strings cost a third of the pageviews' write at scale
        -- 10; a kept row's key is its typed key, written as text on demand
        case
            when field_reason is not null
                or is_conflicting
                or rule_reason is not null
                or is_later_copy
                or row_key <> {{ cartify_typed_key_text(table, key) }}
                then row_key
        end as row_key,
        case
            when field_reason is not null
                or is_conflicting
                or rule_reason is not null
                then 'quarantined'
            when is_later_copy then 'duplicate'
            else 'kept'
        end as row_status,
        case
            when field_reason is not null then field_reason
            when is_conflicting then 'conflicting_resend'
            else rule_reason
        end as reason_code,
        case
            when field_reason is not null or not is_conflicting
                then nullif(field_column, '')
        end as reason_column,
        is_repaired,
        -- the raw text of the rows not kept (a kept row's is its typed
        -- fields: quarantined_rows rebuilds it if a cross-table check
        -- rejects the row)
        case
            when field_reason is not null
                or is_conflicting
                or rule_reason is not null
                or is_later_copy
                then {{ dbt.concat(raw_fields) }}
        end as raw_text,
        {%- for column in columns %}
        {{ column[0] }}{{ ',' if not loop.last or incremental }}
        {%- endfor %}
        {%- if incremental %}
        {{ cartify_raw_increment_columns(plan) }}
        {%- endif %}

    from copies

)

select * from final
{%- endmacro %}

{#- The file a raw row was read from. DuckDB reads the files in place with
    `filename = true` (the source's external_location): the file's name;
    engines that load the files into a table first: the table's CSV. -#}
{% macro cartify_source_file(table) %}
    {{ return(adapter.dispatch('cartify_source_file', 'cartify')(table)) }}
{% endmacro %}

{% macro default__cartify_source_file(table) -%}
    cast('{{ table }}.csv' as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__cartify_source_file(table) -%}
    parse_filename(filename)
{%- endmacro %}

{#- The row's ordinal among the rows the reader returned from its file, in
    file order (a line rejected at read time is not counted: docs/decisions.md
    D66).
    DuckDB keeps the file order of a scan (preserve_insertion_order);
    PostgreSQL returns a freshly copied table in the order it was written. -#}
{% macro cartify_source_row() %}
    {{ return(adapter.dispatch('cartify_source_row', 'cartify')()) }}
{% endmacro %}

{% macro default__cartify_source_row() -%}
    row_number() over ()
{%- endmacro %}

{#- Spark refuses a row_number() without an order. The loader's raw table is
    a table over one CSV file; monotonically_increasing_id() grows with the
    split and the row within it, so ordering by it is file order, the same
    in every scan of the file. -#}
{% macro spark__cartify_source_row() -%}
    row_number() over (order by monotonically_increasing_id())
{%- endmacro %}

{#- DuckDB on a Parquet world (docs/decisions.md D78): one file per month,
    so the row within its file, 1-based, from the reader (file_row_number);
    no window over the whole table, so a filter can reach the scan. -#}
{% macro duckdb__cartify_source_row() -%}
    {%- if cartify_raw_format() == 'parquet' -%}
    cast(file_row_number as {{ dbt.type_bigint() }}) + 1
    {%- else -%}
    row_number() over ()
    {%- endif -%}
{%- endmacro %}

{#- Where a row was read, in read order: a number, so that the first copy
    of each key is a numeric min (a text position such as `file#row` is held
    by DuckDB's aggregate outside its buffer pool, one string per key: about
    40 bytes for each of the 118M pageviews at scale 100; docs/decisions.md
    D87). cartify_file_position() is the expression the reading CTEs select
    as read_position when a table has several files; cartify_read_position()
    names the column of `relation` to compare: read_position then, the row
    number alone when a table is one file (every other world). -#}
{% macro cartify_file_position() %}
    {{ return(adapter.dispatch('cartify_file_position', 'cartify')()) }}
{% endmacro %}

{% macro default__cartify_file_position() -%}
{%- endmacro %}

{#- DuckDB on a Parquet world: the file's index among the table's files
    (DuckDB expands the glob in name order, so month files sort by month:
    tests/python/test_parquet_warehouse.py holds it to that), times 2^40, plus
    the row within the file (a file holds fewer than 2^40 rows). -#}
{% macro duckdb__cartify_file_position() -%}
    {%- if cartify_raw_format() == 'parquet' -%}
    cast(file_index as {{ dbt.type_bigint() }}) * 1099511627776 + cast(file_row_number as {{ dbt.type_bigint() }})
    {%- endif -%}
{%- endmacro %}

{#- The keys of `relation` held by more than one row, each with its first
    copy (the least `position`) and the least and greatest `row_hash`: the
    body of cartify_checked_rows' `repeated`. -#}
{% macro cartify_repeated_keys(key, position, relation) %}
    {{ return(adapter.dispatch('cartify_repeated_keys', 'cartify')(
        key, position, relation)) }}
{% endmacro %}

{#- A hash aggregate over every key. -#}
{% macro default__cartify_repeated_keys(key, position, relation) %}
    select
        {%- for column in key %}
        {{ column }},
        {%- endfor %}
        min({{ position }}) as first_position,
        min(row_hash) as first_hash,
        max(row_hash) as last_hash
    from {{ relation }}
    group by {{ key | join(', ') }}
    having count(*) > 1
{% endmacro %}

{#- DuckDB: the rows sorted by key, a row kept when a neighbour has its key,
    then the few kept rows aggregated. A hash aggregate over 12M distinct
    keys took 9-10 CPU s where the sort takes 3 (scale 10 pageviews; D90).
    A null key has no equal neighbour, as it joins no row either. -#}
{% macro duckdb__cartify_repeated_keys(key, position, relation) %}
    {%- set order = key | join(', ') %}
    select
        {%- for column in key %}
        {{ column }},
        {%- endfor %}
        min(read_position) as first_position,
        min(row_hash) as first_hash,
        max(row_hash) as last_hash
    from (
        select
            {%- for column in key %}
            {{ column }},
            lag({{ column }}) over (order by {{ order }}) as previous__{{ column }},
            lead({{ column }}) over (order by {{ order }}) as next__{{ column }},
            {%- endfor %}
            {{ position }} as read_position,
            row_hash
        from {{ relation }}
    ) as neighbours
    where
        (
            {%- for column in key %}
            {{ 'and ' if not loop.first }}{{ column }} = previous__{{ column }}
            {%- endfor %}
        )
        or (
            {%- for column in key %}
            {{ 'and ' if not loop.first }}{{ column }} = next__{{ column }}
            {%- endfor %}
        )
    group by {{ key | join(', ') }}
{% endmacro %}

{% macro cartify_read_position(relation) -%}
    {{ relation }}.{{ 'read_position' if cartify_file_position() | trim else 'source_row' }}
{%- endmacro %}

{#- A raw table's primary key columns: the first column, except the
    ad-days' (ad_id, stat_date). -#}
{% macro cartify_row_key_columns(table) -%}
    {%- if table == 'ad_daily_stats' -%}
        {{ return(['ad_id', 'stat_date']) }}
    {%- endif -%}
    {{ return([cartify_raw_contract()[table][0][0]]) }}
{%- endmacro %}

{#- A kept row's key as text, as row_key holds a raw key: the typed key
    columns of `table` cast to text, joined by `|` (`key`: the key columns,
    default the table's first; `relation`: a prefix for the columns). -#}
{% macro cartify_typed_key_text(table, key=none, relation=none) -%}
    {%- set key = key or cartify_row_key_columns(table) -%}
    {%- set fields = [] -%}
    {%- for column in key -%}
        {%- if not loop.first -%}{%- do fields.append("'|'") -%}{%- endif -%}
        {%- do fields.append(
            "coalesce(cast(" ~ (relation ~ '.' if relation else '') ~ column
            ~ " as " ~ dbt.type_string() ~ "), '')") -%}
    {%- endfor -%}
    {{ dbt.concat(fields) if fields | length > 1 else fields[0] }}
{%- endmacro %}

{#- Rows of a base_cartify__<table> model that staging publishes: kept at
    row level and not rejected by a cross-table check. An anti join written
    as a left join on the few rejects of the table: a correlated `not exists`
    is decorrelated by DuckDB into a join over the distinct (source_file,
    source_row) of every base row, 7 times the CPU at scale 10 (0.6 against
    4.3 s over the 11.8M pageviews; docs/decisions.md D84). -#}
{% macro cartify_trusted_rows(table) %}
    select base.*
    from {{ ref('base_cartify__' ~ table) }} as base
    left join (
        select
            source_file,
            source_row
        from {{ ref('base_cartify__cross_table_rejects') }}
        where table_name = '{{ table }}'
    ) as rejects
        on
            base.source_file = rejects.source_file
            and base.source_row = rejects.source_row
    where
        base.row_status = 'kept'
        and rejects.source_row is null
{% endmacro %}

{#- A condition true for every raw row, that makes the reader read every
    field of it: a reader that stores rejects may skip the fields of a bare
    count(*) and then count the lines whose bytes are not UTF-8, which a
    query reading the fields never sees (docs/decisions.md D52). The
    fields' lengths added up, not one string joined per row: 2.4 against
    3.8 CPU s over the 11.8M pageviews at scale 10 (D84). -#}
{% macro cartify_every_field_read(table) -%}
    {%- set lengths = [] -%}
    {%- for column in cartify_raw_contract()[table] -%}
        {%- do lengths.append(
            "coalesce(" ~ dbt.length(adapter.quote(column[0])) ~ ", 0)") -%}
    {%- endfor -%}
    {{ lengths | join(' + ') }} >= 0
{%- endmacro %}

{#- Post-hook of the incremental facts: delete the rows whose key is no
    longer in `relation` (their staging model: a view of the keys the raw
    world trusts now, D81), so an incremental run equals a full refresh
    under quarantine (D69). Nothing on a full refresh. Spark's Parquet tables take no DELETE: its
    facts replace whole days (D61), so a key withdrawn from an untouched day
    stays until the next full refresh (docs/decisions.md D63). -#}
{% macro cartify_delete_missing(key, relation) %}
    {{ return(adapter.dispatch('cartify_delete_missing', 'cartify')(
        key, relation
    )) }}
{% endmacro %}

{% macro default__cartify_delete_missing(key, relation) %}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ key }} not in (select {{ key }} from {{ relation }})
    {%- endif -%}
{% endmacro %}

{% macro spark__cartify_delete_missing(key, relation) %}
{% endmacro %}

{#- A hash of a row's raw fields (a list of text expressions), to compare
    the copies of a key: DuckDB's and Spark's 64-bit hashes take the fields
    as arguments, without building one string per row (D81); md5 of the
    fields joined elsewhere. -#}
{% macro cartify_hash(fields) %}
    {{ return(adapter.dispatch('cartify_hash', 'cartify')(fields)) }}
{% endmacro %}

{% macro default__cartify_hash(fields) -%}
    {%- set joined = [] -%}
    {%- for field in fields -%}
        {%- if not loop.first -%}{%- do joined.append("','") -%}{%- endif -%}
        {%- do joined.append(field) -%}
    {%- endfor -%}
    md5({{ dbt.concat(joined) }})
{%- endmacro %}

{% macro duckdb__cartify_hash(fields) -%}
    hash({{ fields | join(', ') }})
{%- endmacro %}

{% macro spark__cartify_hash(fields) -%}
    xxhash64({{ fields | join(', ') }})
{%- endmacro %}

