{#- The repeated parts of base_cartify__cross_table_rejects (docs/decisions.md
    D67, D68, D80): key sets of a parent, the parent checks of a child, and a
    child that follows an untrusted parent. Portable SQL only (left joins,
    union, exists), so nothing to dispatch.

    A parent relation is a list [columns, parent, keys, kind]:
      columns  the child's foreign key column, or a list of them; the last
               one names the reason_column
      parent   the CTE holding the parent's keys (see kind)
      keys     the parent's key column(s), in the order of columns
      kind     'reference'  a seed: the CTE `parent` itself; a key not in it
                            is an orphan_parent
               'file'       a raw file: the CTE `<parent>_raw` (every key in
                            the file, cartify_raw_keys); a key not in it is an
                            orphan_parent (its trust is the visit rule's)
               'trusted'    a raw file whose trust is checked here too:
                            `<parent>_raw` and `<parent>_trusted`; a key in
                            the file but not trusted is parent_quarantined
    A foreign key that is null references nothing and passes (kept rows
    hold every required column: cartify_checked_rows). -#}

{#- Every key of a raw table: its rows (any status) and the first field of
    the lines the reader rejected (such a parent exists but is untrusted).
    Reads the CTEs `<table>` and `rejected_keys`. -#}
{% macro cartify_raw_keys(table, key, table_name=none) %}
    select {{ key }} from {{ table }}
    union
    select first_id from rejected_keys
    where table_name = '{{ table_name or table }}'
{% endmacro %}

{#- One relation's join condition and null test, aliased by its CTE. -#}
{% macro _cartify_parent_join(child, relation, suffix) %}
    {%- set columns, parent, keys, kind = relation %}
    {%- set columns = [columns] if columns is string else columns %}
    {%- set keys = [keys] if keys is string else keys %}
    {%- set alias = parent ~ suffix %}
    left join {{ alias }}
        on
        {%- for column in columns %}
            {{ child }}.{{ column }} = {{ alias }}.{{ keys[loop.index0] }}
            {%- if not loop.last %} and{% endif %}
        {%- endfor %}
{%- endmacro %}

{#- The test "this relation fails": the child's key is set and the parent's
    set (suffix '' for a reference, '_raw' or '_trusted') has no match. -#}
{% macro _cartify_parent_missing(child, relation, suffix) -%}
    {%- set columns, parent, keys, kind = relation %}
    {%- set columns = [columns] if columns is string else columns %}
    {%- set keys = [keys] if keys is string else keys -%}
    {{ child }}.{{ columns[0] }} is not null
                and {{ parent ~ suffix }}.{{ keys[0] }} is null
{%- endmacro %}

{#- The parent checks of one child table: its kept rows (`<child>.*`) with
    reason_code and reason_column, the reason null when every parent holds.

    reason_code, first match wins, in one of two precedences:
      'orphans_first'  every relation's orphan_parent, then the rules
                       ([condition, reason_code] pairs of SQL on the child's
                       columns), then every parent_quarantined
      'per_parent'     each relation in turn: orphan_parent, then
                       parent_quarantined (no rules)
    reason_column: the column of the first relation whose parent is not
    trusted (or not there), else default_column (else the last relation's).
    Both are the rules the model held written out before D80, kept exactly.
    rejected_only: only the rows with a reason (for cartify_follow_untrusted;
    a child read once, never held whole). -#}
{% macro cartify_parent_checks(
    child,
    relations,
    rules=[],
    precedence='orphans_first',
    default_column=none,
    rejected_only=false
) %}
    {%- if precedence not in ['orphans_first', 'per_parent'] %}
        {{ exceptions.raise_compiler_error(
            'cartify_parent_checks: unknown precedence ' ~ precedence) }}
    {%- endif %}
    {%- set suffixes = {'reference': '', 'file': '_raw', 'trusted': '_raw'} %}
    {%- set orphans = [] %}
    {%- set quarantines = [] %}
    {%- set per_parent = [] %}
    {%- set columns_first_untrusted = [] %}
    {%- for relation in relations %}
        {%- set columns, parent, keys, kind = relation %}
        {%- set columns = [columns] if columns is string else columns %}
        {%- set orphan = [
            _cartify_parent_missing(child, relation, suffixes[kind]),
            'orphan_parent'] %}
        {%- do orphans.append(orphan) %}
        {%- do per_parent.append(orphan) %}
        {%- if kind == 'trusted' %}
            {%- set quarantine = [
                _cartify_parent_missing(child, relation, '_trusted'),
                'parent_quarantined'] %}
            {%- do quarantines.append(quarantine) %}
            {%- do per_parent.append(quarantine) %}
        {%- endif %}
        {%- do columns_first_untrusted.append([
            _cartify_parent_missing(child, relation,
                '_trusted' if kind == 'trusted' else suffixes[kind]),
            columns[-1]]) %}
    {%- endfor %}
    {%- if precedence == 'per_parent' %}
        {%- set checks = per_parent %}
    {%- else %}
        {%- set checks = orphans + rules + quarantines %}
    {%- endif %}
    {%- set last_columns = relations[-1][0] %}
    {%- set default_column = default_column or (
        [last_columns] if last_columns is string else last_columns)[-1] %}
    {%- if rejected_only %}
    select * from (
    {%- endif %}
    select
        {{ child }}.*,
        case
        {%- for condition, reason_code in checks %}
            when {{ condition }}
                then '{{ reason_code }}'
        {%- endfor %}
        end as reason_code,
        case
        {%- for condition, column in columns_first_untrusted %}
            when {{ condition }}
                then '{{ column }}'
        {%- endfor %}
            else '{{ default_column }}'
        end as reason_column
    from {{ child }}
    {%- for relation in relations %}
        {%- set kind = relation[3] %}
    {{ _cartify_parent_join(child, relation, suffixes[kind]) }}
        {%- if kind == 'trusted' %}
    {{ _cartify_parent_join(child, relation, '_trusted') }}
        {%- endif %}
    {%- endfor %}
    where {{ child }}.row_status = 'kept'
    {%- if rejected_only %}
    ) as checked
    where checked.reason_code is not null
    {%- endif %}
{% endmacro %}

{#- The rows of a child in an untrusted transaction or under an untrusted
    parent: those with a reason of their own (`checked`, from
    cartify_parent_checks) keep it; the other kept rows of `rows` whose key is
    in `untrusted` (distinct keys) get reason_code, with reason_column (SQL;
    default null). Those are read from `rows` (a base table) by a semi join
    on the key, the small untrusted set as its build side: no left join of
    every checked row. -#}
{% macro cartify_follow_untrusted(
    rows,
    checked,
    key,
    untrusted,
    reason_code,
    reason_column='null'
) %}
    select
        {{ checked }}.source_file,
        {{ checked }}.source_row,
        {{ checked }}.reason_code,
        {{ checked }}.reason_column
    from {{ checked }}
    where {{ checked }}.reason_code is not null
    union all
    select
        {{ rows }}.source_file,
        {{ rows }}.source_row,
        '{{ reason_code }}' as reason_code,
        {{ reason_column }} as reason_column
    from {{ rows }}
    where
        {{ rows }}.row_status = 'kept'
        and {{ rows }}.{{ key }} in (
            select {{ untrusted }}.{{ key }} from {{ untrusted }}
        )
        and not exists (
            select 1
            from {{ checked }} as own
            where
                own.reason_code is not null
                and own.source_file = {{ rows }}.source_file
                and own.source_row = {{ rows }}.source_row
        )
{% endmacro %}
