-- The Sleeper league, one row per season of its previous_league_id chain; is_current_season marks the newest.
-- From settings: the last scored week (last_scored_leg), the first playoff week and the playoff team count, which
-- say which matchup weeks are regular season and final. State dataset.
select
    league_id, name as league_name, cast(season as integer) as season, status, season_type,
    cast(total_rosters as integer) as total_rosters, previous_league_id, draft_id, roster_positions,
    cast(season as integer) = max(cast(season as integer)) over () as is_current_season,
    try_cast(json_extract_string(settings, '$.start_week') as integer) as start_week,
    try_cast(json_extract_string(settings, '$.last_scored_leg') as integer) as last_scored_week,
    try_cast(json_extract_string(settings, '$.playoff_week_start') as integer) as playoff_week_start,
    try_cast(json_extract_string(settings, '$.playoff_teams') as integer) as playoff_teams,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'league', 'state') }}
