-- Trades valued in time, one row per trade of fct_league_transactions (sides a and b: the two receiving parties,
-- a < b). Each side's assets are valued with the KTC snapshot that was current on the trade date and with the
-- newest one, in the league's market (int_league_format.ktc_market_scope), so the analyst sees who won then and
-- who wins now.
-- Snapshot on the trade date: the newest vetted KTC snapshot (players and picks are separate datasets, each
-- chosen on its own) on or before the trade date - the registry's as_of selection (macros/snapshot_selection.sql; fct_asset_market_values holds exactly the vetted snapshots, and the
-- test assert_trade_values_use_as_of_snapshot compares each trade with the macro's choice). A trade older than
-- every snapshot is valued with the oldest one and ktc_then_is_before_trade is false.
-- Trade date: the Sleeper timestamp; else the first game day of the trade's NFL week (nflverse schedule), else an
-- estimate from the sheet's time frame (week n: 5 September + 7(n-1) days; preseason week n: 1 August + 7(n-1);
-- offseason: 1 March; rookie draft: 1 May; FAAD: 1 August), flagged by trade_date_is_estimated.
-- Players: KTC player value (by player id, else name key). Picks: the mean KTC value of the pick's draft year and
-- round in that snapshot (KTC lists Early/Mid/Late tiers); a draft year the snapshot does not list uses the
-- nearest listed year of the same round. Cap space and other assets carry no KTC value (0, listed in assets).
with fmt as (
    select ktc_market_scope from {{ ref('int_league_format') }}
),
values_ as (
    select * from {{ ref('fct_asset_market_values') }}
    where market_scope = (select ktc_market_scope from fmt)
),
player_snapshots as (
    select distinct snapshot_dt from values_ where asset_type = 'player'
),
pick_snapshots as (
    select distinct snapshot_dt from values_ where asset_type = 'pick'
),
legs as (
    select * from {{ ref('fct_league_transactions') }} where transaction_type = 'trade'
),
week_start as (
    select season, week, min(gameday) as first_gameday
    from {{ ref('stg_nflverse__schedule') }} where game_type = 'REG' group by all
),
trades as (
    select
        l.transaction_id, any_value(l.season) as season, any_value(l.week) as week,
        any_value(l.period) as period, any_value(l.time_frame) as time_frame,
        string_agg(distinct l.source_system, ',') as source_system, min(l.occurred_at) as occurred_at
    from legs l group by all
),
dated as (
    select t.*,
        coalesce(cast(t.occurred_at as date),
                 case when t.period = 'regular_season' then w.first_gameday end,
                 case t.period
                     when 'regular_season' then make_date(t.season, 9, 5) + 7 * (coalesce(t.week, 1) - 1)
                     when 'preseason' then make_date(t.season, 8, 1) + 7 * (coalesce(t.week, 1) - 1)
                     when 'rookie_draft' then make_date(t.season, 5, 1)
                     when 'faad' then make_date(t.season, 8, 1)
                     else make_date(t.season, 3, 1) end) as trade_date,
        t.occurred_at is null and (t.period <> 'regular_season' or w.first_gameday is null) as trade_date_is_estimated
    from trades t
    left join week_start w on w.season = t.season and w.week = t.week
),
with_snapshots as (
    select d.*,
        coalesce((select max(s.snapshot_dt) from player_snapshots s where s.snapshot_dt <= d.trade_date),
                 (select min(s.snapshot_dt) from player_snapshots s)) as ktc_then_snapshot_dt,
        coalesce((select max(s.snapshot_dt) from pick_snapshots s where s.snapshot_dt <= d.trade_date),
                 (select min(s.snapshot_dt) from pick_snapshots s)) as ktc_then_pick_snapshot_dt,
        (select max(s.snapshot_dt) from player_snapshots s) as ktc_now_snapshot_dt,
        (select max(s.snapshot_dt) from pick_snapshots s) as ktc_now_pick_snapshot_dt
    from dated d
),
valuations as (
    select l.transaction_id, l.transaction_key, l.to_party, l.asset_type, l.asset_name, l.player_id,
           {{ name_key('l.player_name') }} as name_key, l.pick_season, l.pick_round, 'then' as moment,
           case when l.asset_type = 'draft_pick' then w.ktc_then_pick_snapshot_dt else w.ktc_then_snapshot_dt end
             as snapshot_dt
    from legs l join with_snapshots w using (transaction_id)
    union all
    select l.transaction_id, l.transaction_key, l.to_party, l.asset_type, l.asset_name, l.player_id,
           {{ name_key('l.player_name') }}, l.pick_season, l.pick_round, 'now',
           case when l.asset_type = 'draft_pick' then w.ktc_now_pick_snapshot_dt else w.ktc_now_snapshot_dt end
    from legs l join with_snapshots w using (transaction_id)
),
player_by_id as (
    select snapshot_dt, player_id, max(ktc_value) as ktc_value
    from values_ where asset_type = 'player' and player_id is not null group by all
),
player_by_name as (
    select snapshot_dt, {{ name_key('asset_name') }} as name_key, max(ktc_value) as ktc_value
    from values_ where asset_type = 'player' group by all
),
pick_rounds as (
    select snapshot_dt, draft_year, pick_round, avg(ktc_value) as ktc_value
    from values_ where asset_type = 'pick' group by all
),
pick_values as (
    select v.transaction_key, v.moment, p.ktc_value, p.draft_year
    from valuations v
    join pick_rounds p on p.snapshot_dt = v.snapshot_dt and p.pick_round = v.pick_round
    where v.asset_type = 'draft_pick'
    qualify row_number() over (partition by v.transaction_key, v.moment
                               order by abs(p.draft_year - v.pick_season), p.draft_year) = 1
),
valued as (
    select v.*,
        coalesce(case when v.asset_type = 'player' then coalesce(i.ktc_value, n.ktc_value)
                      when v.asset_type = 'draft_pick' then round(p.ktc_value) end, 0) as ktc_value,
        (v.asset_type = 'player' and coalesce(i.ktc_value, n.ktc_value) is not null)
          or (v.asset_type = 'draft_pick' and p.ktc_value is not null) as is_valued
    from valuations v
    left join player_by_id i on i.snapshot_dt = v.snapshot_dt and i.player_id = v.player_id
    left join player_by_name n on n.snapshot_dt = v.snapshot_dt and n.name_key = v.name_key
    left join pick_values p on p.transaction_key = v.transaction_key and p.moment = v.moment
),
side_totals as (
    select transaction_id, to_party,
           sum(ktc_value) filter (where moment = 'then') as value_then,
           sum(ktc_value) filter (where moment = 'now') as value_now,
           count(*) filter (where moment = 'then') as assets,
           count(*) filter (where moment = 'then' and not is_valued) as assets_without_value,
           list(asset_name order by asset_name) filter (where moment = 'then') as asset_names
    from valued group by transaction_id, to_party
),
sides as (
    select *, row_number() over (partition by transaction_id order by to_party) as side from side_totals
)
select
    w.transaction_id, w.season, w.week, w.period, w.time_frame, w.source_system, w.trade_date,
    w.trade_date_is_estimated, w.ktc_then_snapshot_dt, w.ktc_then_snapshot_dt <= w.trade_date as ktc_then_is_before_trade,
    w.ktc_then_pick_snapshot_dt, w.ktc_now_snapshot_dt, w.ktc_now_pick_snapshot_dt,
    a.to_party as side_a_party, a.asset_names as side_a_receives, a.value_then as side_a_value_then,
    a.value_now as side_a_value_now,
    b.to_party as side_b_party, b.asset_names as side_b_receives, b.value_then as side_b_value_then,
    b.value_now as side_b_value_now,
    case when b.to_party is null then null
         when a.value_then > b.value_then then a.to_party when b.value_then > a.value_then then b.to_party
         else 'even' end as winner_then,
    case when b.to_party is null then null
         when a.value_now > b.value_now then a.to_party when b.value_now > a.value_now then b.to_party
         else 'even' end as winner_now,
    abs(coalesce(a.value_then, 0) - coalesce(b.value_then, 0)) as margin_then,
    abs(coalesce(a.value_now, 0) - coalesce(b.value_now, 0)) as margin_now,
    coalesce(a.assets_without_value, 0) + coalesce(b.assets_without_value, 0) as assets_without_value,
    (select count(*) from sides s where s.transaction_id = w.transaction_id) as receiving_parties
from with_snapshots w
left join sides a on a.transaction_id = w.transaction_id and a.side = 1
left join sides b on b.transaction_id = w.transaction_id and b.side = 2
