-- KTC market values of players and rookie picks: every vetted snapshot is kept (a real time series).
select
    'player:' || p.player_name || ':' || p.position as asset_key, 'player' as asset_type,
    {{ resolve_player_id(name_key('p.player_name'), 'p.position') }} as player_id,
    p.player_name as asset_name, p.position, p.team, null::integer as draft_year, null::integer as pick_round,
    p.market_scope, p.overall_rank, p.positional_rank, p.ktc_value, p.asof_at, p.snapshot_dt
from {{ ref('stg_ktc__players') }} p
union all
select
    'pick:' || k.pick_name, 'pick', null, k.pick_name, 'RDP', null, k.draft_year, k.pick_round,
    k.market_scope, k.overall_rank, null, k.ktc_value, k.asof_at, k.snapshot_dt
from {{ ref('stg_ktc__picks') }} k
