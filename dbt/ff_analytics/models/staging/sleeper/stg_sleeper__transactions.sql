-- Sleeper transactions, one row per transaction, player and action (add/drop). Loads cover recent weeks, so
-- every vetted snapshot is read and the newest row per key kept.
-- depends_on: {{ source('sleeper', 'transactions') }}
select
    cast(transaction_id as varchar) as transaction_id, type as transaction_type, status,
    cast(week as integer) as week, make_timestamp(cast(created as bigint) * 1000) as created_at,
    cast(roster_id as integer) as roster_id, {{ id_text('player_id') }} as sleeper_player_id, action,
    dt as snapshot_dt
from {{ snapshot_selection_strategy('raw/sleeper/transactions/dt=*/*.parquet', strategy='all') }}
{{ dedupe_newest_snapshot(['transaction_id', 'player_id', 'action']) }}
