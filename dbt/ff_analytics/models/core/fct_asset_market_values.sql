-- KTC market values of players and rookie picks: every vetted snapshot is kept (a real time series). The values
-- are as of the snapshot date (as_of_date = snapshot_dt). Players resolve through the identity resolver (KTC id,
-- KTC's MFL id, else name, position and team).
select
    'player:' || p.ktc_id as asset_key, 'player' as asset_type, p.ktc_id, i.player_id,
    p.player_name as asset_name, p.position, p.team, null::integer as draft_year, null::integer as pick_round,
    null::integer as pick_number, p.market_scope, p.overall_rank, p.positional_rank, p.ktc_value,
    p.snapshot_dt as as_of_date, p.snapshot_dt
from {{ ref('stg_ktc__players') }} p
{{ join_player_identity('i', 'ktc', 'players', 'p.ktc_id') }}
union all
select
    'pick:' || k.ktc_id, 'pick', k.ktc_id, null, k.pick_name, 'RDP', null, k.draft_year, k.pick_round,
    k.pick_number, k.market_scope, k.overall_rank, null, k.ktc_value, k.snapshot_dt, k.snapshot_dt
from {{ ref('stg_ktc__picks') }} k
