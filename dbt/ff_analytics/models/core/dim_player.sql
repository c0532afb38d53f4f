-- Players: the crosswalk enriched with nflverse biography (by GSIS id), plus one team defense per NFL team
-- (player_id 'DST-<team>', the id the identity resolver gives a sheet's "Philadelphia Eagles" or Sleeper's "PHI").
select
    x.player_id, x.player_name, x.name_key, x.position,
    coalesce(p.latest_team, x.team) as team,
    coalesce(p.birth_date, x.birthdate) as birth_date,
    p.position_group, p.college_name, p.rookie_season, p.draft_year, p.draft_round, p.draft_pick, p.status,
    x.gsis_id, x.sleeper_id, x.espn_id, x.pfr_id, x.ktc_id, x.mfl_id, x.alias_names
from {{ ref('dim_player_id_xref') }} x
left join {{ ref('stg_nflverse__players') }} p on p.gsis_id = x.gsis_id
union all by name
select
    'DST-' || t.team as player_id, t.team_name as player_name, {{ name_key('t.team_name') }} as name_key,
    'DST' as position, t.team, 'DST' as position_group, t.team as sleeper_id, []::varchar[] as alias_names
from {{ ref('stg_nflverse__teams') }} t
where t.season = (select max(season) from {{ ref('stg_nflverse__teams') }})
