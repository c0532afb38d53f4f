-- KeepTradeCut rookie-pick values (position RDP upstream): every vetted snapshot, as of its snapshot date.
-- Pick names are tiers ('2026 Early 1st'), slots ('2026 Pick 1.01', pick_number set) or rounds ('2026 1st');
-- year and round come from the name only (null when no pattern knows it; the KTC checks report it). Picks have no
-- team, age or positional rank upstream (KTC sends FA and zeros); listed_season is the season of the list.
select
    {{ id_text('ktc_id') }} as ktc_id, pick_name, cast(draft_year as integer) as draft_year, pick_tier,
    cast(pick_round as integer) as pick_round, cast(pick_number as integer) as pick_number,
    cast(listed_season as integer) as listed_season,
    asset_type, market_scope, cast(rank as integer) as overall_rank, cast(value as integer) as ktc_value,
    cast(overall_tier as integer) as overall_tier, cast(overall_trend as integer) as overall_trend,
    cast(overall_7day_trend as integer) as overall_7day_trend,
    cast(kept as integer) as kept, cast(traded as integer) as traded, cast(cut as integer) as cut,
    cast(tep_value as integer) as tep_value, cast(tep_rank as integer) as tep_rank,
    cast(tepp_value as integer) as tepp_value, cast(tepp_rank as integer) as tepp_rank,
    cast(teppp_value as integer) as teppp_value, cast(teppp_rank as integer) as teppp_rank,
    dt as snapshot_dt
from {{ snapshot_source('ktc', 'picks', 'all') }}
