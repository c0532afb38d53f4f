-- The league's format in one row, read from its own settings: teams and starting slots (Sleeper
-- roster_positions of the current season), superflex or 1QB, TE premium (a current scoring rule that pays a TE
-- reception bonus), and the KTC market that matches it. When the snapshot lacks that market (a recording with
-- only the 1QB values), ktc_market_scope falls back to dynasty_1qb and ktc_scope_is_league_format says so.
with league as (
    select total_rosters, roster_positions from {{ ref('stg_sleeper__league') }} where is_current_season
),
slots as (
    select
        any_value(l.total_rosters) as teams,
        count(*) filter (where p = 'QB') as qb_slots, count(*) filter (where p = 'RB') as rb_slots,
        count(*) filter (where p = 'WR') as wr_slots, count(*) filter (where p = 'TE') as te_slots,
        count(*) filter (where p = 'FLEX') as flex_slots, count(*) filter (where p = 'WRRB_FLEX') as wrrb_flex_slots,
        count(*) filter (where p = 'REC_FLEX') as rec_flex_slots,
        count(*) filter (where p = 'SUPER_FLEX') as superflex_slots,
        count(*) filter (where p = 'K') as k_slots, count(*) filter (where p = 'DEF') as def_slots,
        count(*) filter (where p = 'DL') as dl_slots, count(*) filter (where p = 'LB') as lb_slots,
        count(*) filter (where p = 'DB') as db_slots, count(*) filter (where p = 'IDP_FLEX') as idp_flex_slots,
        count(*) filter (where p = 'BN') as bench_slots
    from league l, unnest(l.roster_positions) as u(p)
),
te_premium as (
    select coalesce(max(points_per_unit), 0) as te_reception_bonus
    from {{ ref('dim_scoring_rule') }}
    where is_current and points_per_unit > 0 and regexp_matches(stat_name, '(^|_)te(_|$)')
      and regexp_matches(stat_name, 'rec')
),
markets as (
    select distinct market_scope from {{ ref('fct_asset_market_values') }}
)
select
    s.*,
    s.superflex_slots > 0 or s.qb_slots > 1 as is_superflex,
    t.te_reception_bonus > 0 as is_te_premium, t.te_reception_bonus,
    case when s.superflex_slots > 0 or s.qb_slots > 1 then 'dynasty_superflex' else 'dynasty_1qb' end
      as league_market_scope,
    case when (s.superflex_slots > 0 or s.qb_slots > 1)
              and 'dynasty_superflex' not in (select market_scope from markets) then 'dynasty_1qb'
         when (s.superflex_slots > 0 or s.qb_slots > 1) then 'dynasty_superflex'
         else 'dynasty_1qb' end as ktc_market_scope,
    not ((s.superflex_slots > 0 or s.qb_slots > 1)
         and 'dynasty_superflex' not in (select market_scope from markets)) as ktc_scope_is_league_format
from slots s cross join te_premium t
