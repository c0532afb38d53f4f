-- KTC market values of players and rookie picks: every vetted snapshot is kept (a real time series). The values
-- are as of the snapshot date (as_of_date = snapshot_dt). Players resolve through the crosswalk's ktc_id, else
-- through KTC's own MFL id (mfl_id).
select
    'player:' || p.ktc_id as asset_key, 'player' as asset_type, p.ktc_id,
    coalesce(x.player_id, m.player_id) as player_id,
    p.player_name as asset_name, p.position, p.team, null::integer as draft_year, null::integer as pick_round,
    null::integer as pick_number, p.market_scope, p.overall_rank, p.positional_rank, p.ktc_value,
    p.snapshot_dt as as_of_date, p.snapshot_dt
from {{ ref('stg_ktc__players') }} p
left join {{ ref('dim_player_id_xref') }} x on x.ktc_id = p.ktc_id
left join {{ ref('dim_player_id_xref') }} m on x.player_id is null and m.mfl_id = p.mfl_id
union all
select
    'pick:' || k.ktc_id, 'pick', k.ktc_id, null, k.pick_name, 'RDP', null, k.draft_year, k.pick_round,
    k.pick_number, k.market_scope, k.overall_rank, null, k.ktc_value, k.snapshot_dt, k.snapshot_dt
from {{ ref('stg_ktc__picks') }} k
