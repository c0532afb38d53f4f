-- "Latest" means the registry's current snapshot: every single-snapshot staging model reads exactly the dt the
-- registry marks current (skipped when an as-of build is requested).
{% set models = {
    'stg_nflverse__teams': ('nflverse', 'teams'), 'stg_nflverse__players': ('nflverse', 'players'),
    'stg_nflverse__ff_playerids': ('nflverse', 'ff_playerids'),
    'stg_sheets__contracts_active': ('sheets', 'contracts_active'), 'stg_sheets__cap_space': ('sheets', 'cap_space'),
    'stg_sleeper__rosters': ('sleeper', 'rosters'), 'stg_sleeper__users': ('sleeper', 'users')} %}
{% for model, (source, dataset) in models.items() %}
select '{{ model }}' as model_name, s.snapshot_dt, r.snapshot_date as registry_current
from (select distinct snapshot_dt from {{ ref(model) }}) s
full outer join (select snapshot_date from {{ ref('snapshot_registry') }}
                 where source = '{{ source }}' and dataset = '{{ dataset }}' and status = 'current') r
  on r.snapshot_date = s.snapshot_dt
where ({{ "true" if not (var('snapshot_as_of') | trim) else "false" }})
  and (s.snapshot_dt is null or r.snapshot_date is null)
{{ 'union all' if not loop.last }}
{% endfor %}
