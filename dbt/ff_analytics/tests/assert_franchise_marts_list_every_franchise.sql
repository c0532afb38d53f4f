-- Every per-franchise mart lists every franchise of dim_franchise (a franchise without data is a row with
-- missing_reason, not an absent row). Returns one row per mart and missing franchise.
{% set marts = ['mrt_cap_situation', 'mrt_roster_values', 'mrt_franchise_coverage', 'mrt_cap_plan',
                'mrt_roster_depth', 'mrt_contract_value'] %}
{% for mart in marts %}
select '{{ mart }}' as mart, f.franchise_id
from {{ ref('dim_franchise') }} f
where f.franchise_id not in (select franchise_id from {{ ref(mart) }} where franchise_id is not null)
{% if not loop.last %}union all{% endif %}
{% endfor %}
