-- Consensus projection vs actual fantasy points by player-week (league scoring on both sides).
select
    p.player_id, p.player_name, p.position, p.team, p.season, p.week,
    p.projected_points, a.fantasy_points as actual_points,
    round(a.fantasy_points - p.projected_points, 2) as variance,
    round(abs(a.fantasy_points - p.projected_points), 2) as abs_error,
    a.fantasy_points is not null as has_actual
from {{ ref('mrt_fantasy_projections') }} p
left join {{ ref('mrt_fantasy_actuals_weekly') }} a
  on a.player_id = p.player_id and a.season = p.season and a.week = p.week
where p.provider = 'consensus'
