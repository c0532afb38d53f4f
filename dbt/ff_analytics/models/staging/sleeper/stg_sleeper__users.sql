-- League members (Sleeper users) per league season. State dataset.
-- depends_on: {{ source('sleeper', 'users') }}
select
    league_id, cast(season as integer) as season, user_id, username, display_name, team_name,
    coalesce(is_owner, false) as is_owner, coalesce(is_bot, false) as is_bot,
    dt as snapshot_dt
from {{ state_snapshot('raw/sleeper/users/dt=*/*.parquet') }}
