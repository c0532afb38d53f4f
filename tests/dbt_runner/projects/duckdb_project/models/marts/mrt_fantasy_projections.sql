-- Stand-in for the real project's consensus-projections mart (same columns the player-value flow reads).
select 'consensus' as provider, p.player_id, p.player_name, p.position, p.team, 2025 as season, w.week,
       round(pr.projected_points, 2) as projected_points
from {{ ref('stg_players') }} p
join {{ ref('projections') }} pr using (player_id)
cross join (values (1), (2)) as w (week)
