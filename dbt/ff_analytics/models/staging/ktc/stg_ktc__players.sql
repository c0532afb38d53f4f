-- KeepTradeCut player values: every vetted snapshot (a market time series; fct_asset_market_values keeps all).
-- depends_on: {{ source('ktc', 'players') }}
select
    player_name, position, team, asset_type, market_scope,
    cast(rank as integer) as overall_rank, cast(positional_rank as integer) as positional_rank,
    cast(value as integer) as ktc_value,
    cast(asof_date as timestamp) as asof_at,
    dt as snapshot_dt
from {{ snapshot_selection_strategy('raw/ktc/players/dt=*/*.parquet', strategy='all') }}
{{ dedupe_newest_snapshot(['player_name', 'position', 'market_scope', 'dt']) }}
