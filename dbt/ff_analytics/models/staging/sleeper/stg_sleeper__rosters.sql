-- Sleeper rosters, one row per roster and player (slot: starter, bench, reserve, taxi). State dataset.
-- depends_on: {{ source('sleeper', 'rosters') }}
select
    cast(roster_id as integer) as roster_id, cast(owner_id as varchar) as owner_id,
    {{ id_text('player_id') }} as sleeper_player_id, slot,
    dt as snapshot_dt
from {{ state_snapshot('raw/sleeper/rosters/dt=*/*.parquet') }}
where player_id is not null
