-- Cap space rows of each GM tab by season. State dataset.
-- depends_on: {{ source('sheets', 'cap_space') }}
select
    gm as gm_tab, cast(season as integer) as season,
    cast(available_cap_space as integer) as available_cap_space,
    cast(dead_cap_space as integer) as dead_cap_space,
    cast(traded_cap_space as integer) as traded_cap_space,
    dt as snapshot_dt
from {{ state_snapshot('raw/sheets/cap_space/dt=*/*.parquet') }}
