-- Projected fantasy points by player-week: the ffanalytics consensus points (league scoring, computed by the
-- connector) for the averaging method in var projection_avg_type, with floor / ceiling / sd. Not re-scored here.
select
    p.provider, p.avg_type, p.player_id, p.player_name, p.position, p.team, p.season, p.week,
    round(max(p.stat_value) filter (where p.stat_name = 'points'), 2) as projected_points,
    round(max(p.stat_value) filter (where p.stat_name = 'floor'), 2) as projected_floor,
    round(max(p.stat_value) filter (where p.stat_name = 'ceiling'), 2) as projected_ceiling,
    round(max(p.stat_value) filter (where p.stat_name = 'sd_pts'), 2) as projected_sd,
    max(p.snapshot_dt) as snapshot_dt
from {{ ref('fct_player_projections') }} p
where p.provider = 'consensus'
group by all
