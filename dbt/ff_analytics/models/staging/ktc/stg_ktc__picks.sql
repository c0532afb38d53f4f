-- KeepTradeCut rookie-pick values (position RDP upstream): every vetted snapshot.
-- depends_on: {{ source('ktc', 'picks') }}
select
    pick_name, cast(draft_year as integer) as draft_year, pick_tier, cast(pick_round as integer) as pick_round,
    asset_type, market_scope, cast(rank as integer) as overall_rank, cast(value as integer) as ktc_value,
    cast(asof_date as timestamp) as asof_at,
    dt as snapshot_dt
from {{ snapshot_selection_strategy('raw/ktc/picks/dt=*/*.parquet', strategy='all') }}
{{ dedupe_newest_snapshot(['pick_name', 'market_scope', 'dt']) }}
