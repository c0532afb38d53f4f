-- Projected fantasy points by player-week and provider under the league's scoring rules.
with scored as (
    {{ score_stats(ref('fct_player_projections'), 'projection', ref('dim_scoring_rule')) }}
)
select
    p.provider, p.player_id, p.player_name, p.position, p.team, p.season, p.week,
    round(coalesce(sum(s.points), 0), 2) as projected_points,
    max(case when p.stat_name = 'site_pts' then p.stat_value end) as site_points,
    max(p.snapshot_dt) as snapshot_dt
from {{ ref('fct_player_projections') }} p
left join scored s
  on s.provider = p.provider and s.player_name = p.player_name and s.position = p.position
 and s.season = p.season and s.week = p.week and s.stat_name = p.stat_name
group by all
