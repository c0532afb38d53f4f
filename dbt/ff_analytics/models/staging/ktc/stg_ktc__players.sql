-- KeepTradeCut player values: every vetted snapshot (a market time series; fct_asset_market_values keeps all).
-- The values are as of the snapshot date (snapshot_dt); ktc_id is KTC's player id, the crosswalk key, and mfl_id
-- KTC's MyFantasyLeague id (a cross-platform key). team is the nflverse code (ktc_team_codes), ktc_team KTC's own;
-- free agents have a null team. KTC's placeholder zeros (no age, undrafted, no ADP) are null upstream.
select
    {{ id_text('ktc_id') }} as ktc_id, cast(mfl_id as varchar) as mfl_id, player_name, slug, position, team,
    ktc_team, age, birth_date, rookie as is_rookie, college,
    cast(draft_year as integer) as draft_year, cast(nfl_draft_round as integer) as nfl_draft_round,
    cast(nfl_draft_pick as integer) as nfl_draft_pick, cast(seasons_experience as integer) as seasons_experience,
    cast(height_inches as integer) as height_inches, cast(weight as integer) as weight,
    cast(bye_week as integer) as bye_week, cast(injury_code as integer) as injury_code, injury_name, injury_area,
    injury_return,
    asset_type, market_scope,
    cast(rank as integer) as overall_rank, cast(positional_rank as integer) as positional_rank,
    cast(value as integer) as ktc_value,
    cast(overall_tier as integer) as overall_tier, cast(positional_tier as integer) as positional_tier,
    cast(overall_trend as integer) as overall_trend, cast(positional_trend as integer) as positional_trend,
    cast(overall_7day_trend as integer) as overall_7day_trend,
    cast(positional_7day_trend as integer) as positional_7day_trend,
    cast(kept as integer) as kept, cast(traded as integer) as traded, cast(cut as integer) as cut,
    cast(trade_count as integer) as trade_count, adp, startup_adp, liquidity,
    cast(tep_value as integer) as tep_value, cast(tep_rank as integer) as tep_rank,
    cast(tepp_value as integer) as tepp_value, cast(tepp_rank as integer) as tepp_rank,
    cast(teppp_value as integer) as teppp_value, cast(teppp_rank as integer) as teppp_rank,
    dt as snapshot_dt
from {{ snapshot_source('ktc', 'players', 'all') }}
