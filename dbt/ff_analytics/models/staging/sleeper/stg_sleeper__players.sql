-- Sleeper's player catalogue (NFL players with Sleeper ids and, where Sleeper knows them, GSIS/ESPN ids, trimmed
-- by the connector: a real gsis_id can arrive with a leading space). State dataset.
select
    player_id as sleeper_player_id, full_name, first_name, last_name, position, fantasy_positions, team, status,
    active, {{ id_text('gsis_id') }} as gsis_id, {{ id_text('espn_id') }} as espn_id,
    {{ id_text('yahoo_id') }} as yahoo_id, {{ id_text('sportradar_id') }} as sportradar_id,
    try_cast(birth_date as date) as birth_date, college, height, cast(weight as integer) as weight,
    cast(rookie_year as integer) as rookie_year, cast(years_exp as integer) as years_exp,
    depth_chart_position, cast(depth_chart_order as integer) as depth_chart_order,
    injury_status, injury_body_part, injury_notes, injury_start_date, practice_participation,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'players', 'state') }}
where player_id is not null
