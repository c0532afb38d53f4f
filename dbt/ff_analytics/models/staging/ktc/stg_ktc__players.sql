-- KeepTradeCut player values: every vetted snapshot (a market time series; fct_asset_market_values keeps all).
-- The values are as of the snapshot date (snapshot_dt); ktc_id is KTC's player id, the crosswalk key.
select
    {{ id_text('ktc_id') }} as ktc_id, player_name, slug, position, team, age, rookie as is_rookie,
    asset_type, market_scope,
    cast(rank as integer) as overall_rank, cast(positional_rank as integer) as positional_rank,
    cast(value as integer) as ktc_value,
    cast(overall_tier as integer) as overall_tier, cast(positional_tier as integer) as positional_tier,
    cast(overall_trend as integer) as overall_trend, cast(overall_7day_trend as integer) as overall_7day_trend,
    dt as snapshot_dt
from {{ snapshot_source('ktc', 'players', 'all') }}
