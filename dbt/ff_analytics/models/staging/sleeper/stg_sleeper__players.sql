-- Sleeper's player catalogue (NFL players with Sleeper ids). State dataset.
-- depends_on: {{ source('sleeper', 'players') }}
select
    {{ id_text('player_id') }} as sleeper_player_id, full_name, position, team, {{ id_text('gsis_id') }} as gsis_id,
    dt as snapshot_dt
from {{ state_snapshot('raw/sleeper/players/dt=*/*.parquet') }}
where player_id is not null
