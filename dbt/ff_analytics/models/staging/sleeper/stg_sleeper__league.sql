-- The Sleeper league record. State dataset.
-- depends_on: {{ source('sleeper', 'league') }}
select
    cast(league_id as varchar) as league_id, name as league_name, cast(season as integer) as season, status,
    cast(total_rosters as integer) as total_rosters,
    dt as snapshot_dt
from {{ state_snapshot('raw/sleeper/league/dt=*/*.parquet') }}
