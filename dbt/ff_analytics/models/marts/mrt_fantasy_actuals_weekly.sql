-- Fantasy points by player-week under the league's scoring rules (seed dim_scoring_rule, 0.5 PPR; IDP and
-- kicking included; team-defense rules need team-level stats and are not scored here).
with scored as (
    {{ score_stats(ref('fct_player_stats'), 'nflverse_weekly', ref('dim_scoring_rule')) }}
    and s.stat_source = 'nflverse_weekly'
),
points as (
    select gsis_id, season, week, sum(points) as fantasy_points
    from scored group by all
)
select
    x.player_id, w.gsis_id, w.player_display_name as player_name, w.position, w.team, w.season, w.week,
    w.season_type, round(coalesce(p.fantasy_points, 0), 2) as fantasy_points,
    w.fantasy_points_ppr as nflverse_fantasy_points_ppr
from {{ ref('stg_nflverse__weekly') }} w
left join points p on p.gsis_id = w.gsis_id and p.season = w.season and p.week = w.week
left join {{ ref('dim_player_id_xref') }} x on x.gsis_id = w.gsis_id
