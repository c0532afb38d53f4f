-- KeepTradeCut rookie-pick values (position RDP upstream): every vetted snapshot, as of its snapshot date.
-- Pick names are either tiers ('2026 Early 1st') or slots ('2026 Pick 1.01', pick_number set).
select
    {{ id_text('ktc_id') }} as ktc_id, pick_name, cast(draft_year as integer) as draft_year, pick_tier,
    cast(pick_round as integer) as pick_round, cast(pick_number as integer) as pick_number,
    asset_type, market_scope, cast(rank as integer) as overall_rank, cast(value as integer) as ktc_value,
    dt as snapshot_dt
from {{ snapshot_source('ktc', 'picks', 'all') }}
