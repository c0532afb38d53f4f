-- NFL teams by season (nflverse teams). State dataset: one snapshot.
select
    cast(season as integer) as season, team, "full" as team_name, location, nickname,
    cast(nfl_team_id as integer) as nfl_team_id, espn as espn_team, pfr as pfr_team,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'teams', 'state') }}
