{#- The ad measures shared by campaign_performance, ad_performance and
    ad_placement_performance: the additive columns cast to their contract
    types, then the ratios computed from those sums with safe_divide. Reads
    the columns spend, impressions, reach, clicks, leads, sessions, orders,
    revenue and gross_profit of the relation it selects from. -#}
{% macro ad_performance_measures() %}
    {{ return(adapter.dispatch('ad_performance_measures', 'cartify')()) }}
{% endmacro %}

{% macro default__ad_performance_measures() -%}
        cast(spend as decimal(18, 2)) as spend,
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(reach as {{ dbt.type_bigint() }}) as reach,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(leads as {{ dbt.type_bigint() }}) as leads,
        cast(sessions as {{ dbt.type_bigint() }}) as attributed_sessions,
        cast(orders as {{ dbt.type_bigint() }}) as attributed_orders,
        cast(revenue as decimal(18, 2)) as attributed_revenue,
        cast(gross_profit as decimal(18, 2)) as attributed_gross_profit,
        {{ safe_divide('clicks', 'impressions') }} as ctr,
        {{ safe_divide('spend', 'clicks') }} as cpc,
        {{ safe_divide('spend * 1000', 'impressions') }} as cpm,
        {{ safe_divide('leads', 'clicks') }} as click_to_lead_rate,
        {{ safe_divide('orders', 'clicks') }} as conversion_rate,
        {{ safe_divide('spend', 'orders') }} as cpa,
        {{ safe_divide('revenue', 'spend') }} as roas,
        {{ safe_divide('revenue - spend', 'spend') }} as roi,
        {{ safe_divide('gross_profit - spend', 'spend') }} as profit_roi
{%- endmacro %}
