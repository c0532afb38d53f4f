-- Every per-franchise mart lists every franchise of dim_franchise (a franchise without data is a row with
-- missing_reason, not an absent row), and the per-season marts list every franchise in every season. Returns one
-- row per mart (and season) and missing franchise.
{% set marts = ['mrt_cap_situation', 'mrt_roster_values', 'mrt_franchise_coverage', 'mrt_cap_plan',
                'mrt_roster_depth', 'mrt_contract_value'] %}
{% for mart in marts %}
select '{{ mart }}' as mart, null::integer as season, f.franchise_id
from {{ ref('dim_franchise') }} f
where f.franchise_id not in (select franchise_id from {{ ref(mart) }} where franchise_id is not null)
union all
{% endfor %}
{% for mart in ['mrt_cap_situation', 'mrt_cap_plan'] %}
select '{{ mart }}', y.season, f.franchise_id
from {{ ref('dim_franchise') }} f
cross join (select distinct season from {{ ref(mart) }}) y
where not exists (select 1 from {{ ref(mart) }} m where m.franchise_id = f.franchise_id and m.season = y.season)
{% if not loop.last %}union all{% endif %}
{% endfor %}
