-- Sleeper weekly matchups, one row per league, week and roster: points, the starters and their points (null in
-- responses from before Sleeper sent them), every rostered player's points (JSON object). matchup_id pairs two
-- rosters; null means no game that week (a playoff bye or a roster out of the playoffs). A week in progress has
-- partial points until it is scored, so every vetted snapshot is read and the newest row per key kept.
select
    league_id, cast(season as integer) as season, cast(week as integer) as week,
    cast(roster_id as integer) as roster_id, cast(matchup_id as integer) as matchup_id,
    cast(points as double) as points, cast(custom_points as double) as custom_points,
    starters, starters_points, players, players_points,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'matchups', 'all') }}
{{ dedupe_newest_snapshot(['league_id', 'week', 'roster_id']) }}
