-- League members (Sleeper users). State dataset.
-- depends_on: {{ source('sleeper', 'users') }}
select
    cast(user_id as varchar) as user_id, display_name, team_name, coalesce(cast(is_owner as boolean), false) as is_owner,
    dt as snapshot_dt
from {{ state_snapshot('raw/sleeper/users/dt=*/*.parquet') }}
