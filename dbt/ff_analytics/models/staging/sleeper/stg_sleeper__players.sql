-- Sleeper's player catalogue (NFL players with Sleeper ids and, where Sleeper knows them, GSIS/ESPN ids).
-- State dataset.
select
    player_id as sleeper_player_id, full_name, first_name, last_name, position, fantasy_positions, team, status,
    active, {{ id_text('gsis_id') }} as gsis_id, {{ id_text('espn_id') }} as espn_id,
    {{ id_text('yahoo_id') }} as yahoo_id, {{ id_text('sportradar_id') }} as sportradar_id,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'players', 'state') }}
where player_id is not null
