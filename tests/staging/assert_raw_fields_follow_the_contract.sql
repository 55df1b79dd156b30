-- Every raw field has the contract's exact form (macros/strict_parse.sql,
-- docs/decisions.md D51): returns one row per table and reason with the
-- number of rows and a sample key, so a dirty feed fails loudly with its
-- reasons instead of being read leniently (2.5 as 3, an offset dropped) or
-- turned into nulls. Columns and required-ness: cartify_raw_contract(),
-- generated from generator/schema.py.

{%- set contract = cartify_raw_contract() %}

with

{% for table, columns in contract.items() %}
    {{ table }}_errors as (

        select
            '{{ table }}' as table_name,
            {{ columns[0][0] }} as sample_key,
            coalesce(
                {%- for column in columns %}
                    {{ cartify_parse_error(column[0], column[1], column[2]) }},
                {%- endfor %}
                null
            ) as reason_code
        from {{ source('cartify', table) }}

    ),

{% endfor %}

errors as (

    {% for table in contract %}
        select * from {{ table }}_errors
        where reason_code is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        table_name,
        reason_code,
        count(*) as rows_with_reason,
        min(sample_key) as sample_key
    from errors
    group by table_name, reason_code

)

select * from final
