-- The Sleeper league, one row per season of its previous_league_id chain; is_current_season marks the newest.
-- State dataset.
select
    league_id, name as league_name, cast(season as integer) as season, status, season_type,
    cast(total_rosters as integer) as total_rosters, previous_league_id, draft_id, roster_positions,
    cast(season as integer) = max(cast(season as integer)) over () as is_current_season,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'league', 'state') }}
