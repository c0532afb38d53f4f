{% test ffa_unique_combination(model, columns) %}
{#- No two rows share the same values of `columns` (nulls compare equal), the dbt_utils test without the hub. -#}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by all
having count(*) > 1
{% endtest %}
