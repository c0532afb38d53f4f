-- Scoring check: the league's offensive rules from the seed, with receptions at 1.0 (full PPR) instead of the
-- league's 0.5, applied to fct_player_stats must reproduce nflverse fantasy_points_ppr for every player-week of
-- the sample (tolerance 0.05). nflverse also scores special-teams and fumble-recovery touchdowns at 6; the league
-- table has no such rule, so those two are added here as nflverse's convention.
with ppr_rules as (
    select stat_name, case when stat_name = 'rec_reception' then 1.0 else points_per_unit end as points_per_unit,
           valid_from_season, valid_to_season
    from {{ ref('dim_scoring_rule') }}
    where stat_category in ('passing', 'rushing', 'receiving')
),
scored as (
    {{ score_stats(ref('fct_player_stats'), 'nflverse_weekly', 'ppr_rules') }}
    and s.stat_source = 'nflverse_weekly'
),
extra as (
    select gsis_id, season, week, 6.0 * stat_value as points
    from {{ ref('fct_player_stats') }}
    where stat_source = 'nflverse_weekly' and stat_name in ('special_teams_tds', 'fumble_recovery_tds')
),
points as (
    select gsis_id, season, week, sum(points) as ppr
    from (select gsis_id, season, week, points from scored union all select * from extra)
    group by all
)
select w.gsis_id, w.season, w.week, w.position, w.fantasy_points_ppr, coalesce(p.ppr, 0) as computed_ppr
from {{ ref('stg_nflverse__weekly') }} w
left join points p on p.gsis_id = w.gsis_id and p.season = w.season and p.week = w.week
where w.fantasy_points_ppr is not null
  and abs(w.fantasy_points_ppr - coalesce(p.ppr, 0)) > 0.05
