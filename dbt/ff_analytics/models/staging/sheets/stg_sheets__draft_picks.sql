-- Draft-pick ownership by GM tab, season and round. State dataset.
-- depends_on: {{ source('sheets', 'draft_picks') }}
select
    gm as gm_tab, cast(season as integer) as season, cast(round as integer) as round,
    original_owner, pick_status,
    dt as snapshot_dt
from {{ state_snapshot('raw/sheets/draft_picks/dt=*/*.parquet') }}
