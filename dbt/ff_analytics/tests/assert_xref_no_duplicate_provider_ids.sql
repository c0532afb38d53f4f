-- The crosswalk never gives one provider id to two players (nor two rows to one player).
{% set cols = ['player_id', 'gsis_id', 'sleeper_id', 'espn_id', 'pfr_id', 'ktc_id', 'fantasypros_id', 'yahoo_id',
               'sportradar_id', 'nfl_id', 'pff_id', 'mfl_id'] %}
{% for col in cols %}
select '{{ col }}' as provider_column, cast({{ col }} as varchar) as provider_id, count(*) as players
from {{ ref('dim_player_id_xref') }}
where {{ col }} is not null
group by 1, 2
having count(*) > 1
{{ 'union all' if not loop.last }}
{% endfor %}
