-- League transactions, one row per leg (one asset moving from one party to another), in one vocabulary.
-- The commissioner sheet's TRANSACTIONS tab is the system of record; Sleeper's feed (completed transactions only)
-- adds what the sheet lacks. A Sleeper leg that the sheet also records is kept once, as the sheet's row, with
-- source_system 'sheets+sleeper' and the Sleeper transaction id as lineage (see _core.yml for the vocabulary
-- mapping and the matching rules).
with sheet_rows as (
    select
        t.*,
        coalesce(t.from_franchise_id, t.from_kind) as from_party,
        coalesce(t.to_franchise_id, t.to_kind) as to_party,
        case t.transaction_type
            when 'Trade' then 'trade' when 'FA' then 'free_agent' when 'Waivers' then 'waiver' when 'Cut' then 'cut'
            when 'Signing' then case when t.from_kind = 'waiver_wire' then 'free_agent' else 'signing' end
            when 'Draft' then 'rookie_draft' when 'Extension' then 'extension'
            when 'Franchise' then 'franchise_tag' when 'Amnesty' then 'amnesty'
            else lower(t.transaction_type) end as tx_type
    from {{ ref('stg_sheets__transactions') }} t
),
sheet_islands as (
    -- A trade is the run of consecutive Trade rows (sheet order) with the same time frame and franchise pair.
    select *,
        least(from_party, to_party) || '|' || greatest(from_party, to_party) as party_pair,
        case when tx_type = 'trade'
              and lag(tx_type) over w = 'trade'
              and lag(time_frame) over w = time_frame
              and lag(least(from_party, to_party) || '|' || greatest(from_party, to_party)) over w
                  = least(from_party, to_party) || '|' || greatest(from_party, to_party)
             then 0 else 1 end as starts_transaction
    from sheet_rows
    window w as (order by sort_order, sheet_row desc)
),
sheet_grouped as (
    select *, sum(starts_transaction) over (order by sort_order, sheet_row desc rows unbounded preceding) as island
    from sheet_islands
),
sheet as (
    select
        'sheets:' || min(sort_order) over (partition by island) as sheet_transaction_id,
        'sheets:' || sheet_row as leg_key,
        season, week, time_frame, period, tx_type, asset_type, from_party, to_party, from_franchise_id,
        to_franchise_id, asset_name, player_name, name_key, position,
        {{ resolve_player_id('name_key', 'position') }} as player_id,
        case when asset_type = 'draft_pick' then try_cast(regexp_extract(asset_name, '^(\d{4})', 1) as integer)
             end as pick_season,
        original_franchise_id as pick_original_franchise_id, round as pick_round, pick as pick_number,
        contract_total, contract_years, split, null::integer as faab_amount, sort_order, sheet_row
    from sheet_grouped
),
sleeper_raw as (
    select s.*, {{ name_key("coalesce(p.full_name, p.first_name || ' ' || p.last_name)") }} as name_key,
           coalesce(p.full_name, p.first_name || ' ' || p.last_name) as full_name, p.position as sleeper_position
    from {{ ref('stg_sleeper__transactions') }} s
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = s.sleeper_player_id
    where s.status = 'complete'
),
sleeper_legs as (
    -- A player moving between rosters (trade, waiver claim) appears as an add (receiving roster) and a drop
    -- (sending roster): one leg. Other adds are legs from the waiver wire; other drops are cuts to it.
    select
        coalesce(a.league_id, d.league_id) as league_id, coalesce(a.transaction_id, d.transaction_id) as transaction_id,
        coalesce(a.item_index, d.item_index) as item_index,
        coalesce(a.transaction_type, d.transaction_type) as sleeper_type,
        coalesce(a.season, d.season) as season, coalesce(a.week, d.week) as week,
        coalesce(a.created_at, d.created_at) as created_at,
        case when coalesce(a.transaction_type, d.transaction_type) = 'trade' then 'trade'
             when a.action is null then 'cut'
             else coalesce(a.transaction_type, d.transaction_type) end as tx_type,
        'player' as asset_type, d.roster_id as from_roster_id, a.roster_id as to_roster_id,
        coalesce(a.sleeper_player_id, d.sleeper_player_id) as sleeper_player_id,
        coalesce(a.full_name, d.full_name) as player_name, coalesce(a.name_key, d.name_key) as name_key,
        coalesce(a.sleeper_position, d.sleeper_position) as position,
        null::integer as pick_season, null::integer as pick_round, null::integer as pick_original_roster_id,
        null::integer as faab_amount
    from (select * from sleeper_raw where action = 'add') a
    full outer join (select * from sleeper_raw where action = 'drop') d
      on d.league_id = a.league_id and d.transaction_id = a.transaction_id
     and d.sleeper_player_id = a.sleeper_player_id
    union all
    select league_id, transaction_id, item_index, transaction_type, season, week, created_at,
           case when transaction_type = 'trade' then 'trade' else transaction_type end,
           case action when 'draft_pick' then 'draft_pick' else 'faab' end,
           case action when 'draft_pick' then pick_previous_owner_id else budget_sender end,
           case action when 'draft_pick' then roster_id else budget_receiver end,
           null, null, null, null, pick_season, pick_round, pick_original_roster_id, budget_amount
    from sleeper_raw where action in ('draft_pick', 'waiver_budget')
),
sleeper as (
    select
        'sleeper:' || s.league_id || ':' || s.transaction_id as sleeper_transaction_id,
        'sleeper:' || s.league_id || ':' || s.transaction_id || ':' || s.item_index as leg_key,
        s.season, s.week, s.created_at, s.tx_type, s.asset_type,
        coalesce(ff.franchise_id, 'roster:' || s.from_roster_id,
                 case when s.asset_type = 'player' then 'waiver_wire' end) as from_party,
        coalesce(tf.franchise_id, 'roster:' || s.to_roster_id,
                 case when s.asset_type = 'player' then 'waiver_wire' end) as to_party,
        ff.franchise_id as from_franchise_id, tf.franchise_id as to_franchise_id,
        case s.asset_type when 'player' then s.player_name
             when 'draft_pick' then s.pick_season || ' round ' || s.pick_round
             when 'faab' then 'FAAB' end as asset_name,
        s.player_name, s.name_key, s.position, x.player_id, s.pick_season, s.pick_round,
        og.franchise_id as pick_original_franchise_id, s.faab_amount
    from sleeper_legs s
    left join {{ ref('dim_franchise') }} ff on ff.sleeper_roster_id = s.from_roster_id
    left join {{ ref('dim_franchise') }} tf on tf.sleeper_roster_id = s.to_roster_id
    left join {{ ref('dim_franchise') }} og on og.sleeper_roster_id = s.pick_original_roster_id
    left join {{ ref('dim_player_id_xref') }} x on x.sleeper_id = s.sleeper_player_id
),
-- Trades match at the transaction level: same season, week within one, most shared assets (players by name key,
-- picks by season and round); each Sleeper trade and each sheet trade is used once.
sheet_trade_assets as (
    select sheet_transaction_id, season, week,
           case when asset_type = 'player' then 'p:' || name_key
                when asset_type = 'draft_pick' then 'k:' || pick_season || ':' || pick_round end as asset
    from sheet where tx_type = 'trade'
),
sleeper_trade_assets as (
    select sleeper_transaction_id, season, week,
           case when asset_type = 'player' then 'p:' || name_key
                when asset_type = 'draft_pick' then 'k:' || pick_season || ':' || pick_round end as asset
    from sleeper where tx_type = 'trade'
),
trade_candidates as (
    select l.sleeper_transaction_id, s.sheet_transaction_id, count(*) as shared_assets,
           min(abs(l.week - s.week)) as week_gap
    from sleeper_trade_assets l
    join sheet_trade_assets s on s.season = l.season and abs(s.week - l.week) <= 1 and s.asset = l.asset
    group by all
),
trade_best_for_sleeper as (
    select * from trade_candidates
    qualify row_number() over (partition by sleeper_transaction_id
                               order by shared_assets desc, week_gap, sheet_transaction_id) = 1
),
trade_matches as (
    select * from trade_best_for_sleeper
    qualify row_number() over (partition by sheet_transaction_id
                               order by shared_assets desc, week_gap, sleeper_transaction_id) = 1
),
-- Other legs match one to one on season, week, type (which implies the direction) and player name key.
sheet_single as (
    select leg_key, season, week, tx_type, name_key,
           row_number() over (partition by season, week, tx_type, name_key order by sort_order, sheet_row) as nth
    from sheet where tx_type in ('free_agent', 'waiver', 'cut') and name_key is not null and name_key <> ''
),
sleeper_single as (
    select leg_key, sleeper_transaction_id, season, week, tx_type, name_key,
           row_number() over (partition by season, week, tx_type, name_key order by created_at, leg_key) as nth
    from sleeper
    where tx_type in ('free_agent', 'waiver', 'cut') and asset_type = 'player' and name_key is not null
      and name_key <> ''
),
single_matches as (
    select l.leg_key as sleeper_leg_key, l.sleeper_transaction_id, s.leg_key as sheet_leg_key
    from sleeper_single l
    join sheet_single s using (season, week, tx_type, name_key, nth)
),
sleeper_times as (
    select sleeper_transaction_id, min(created_at) as created_at from sleeper group by all
),
sheet_lineage as (
    -- The sheet records time frames only: a leg Sleeper also has takes Sleeper's timestamp.
    select s.*,
           coalesce(tm.sleeper_transaction_id, sm.sleeper_transaction_id) as matched_sleeper_transaction_id,
           tm.sheet_transaction_id is not null or sm.sheet_leg_key is not null as in_sleeper,
           st.created_at as occurred_at
    from sheet s
    left join trade_matches tm on tm.sheet_transaction_id = s.sheet_transaction_id
    left join single_matches sm on sm.sheet_leg_key = s.leg_key
    left join sleeper_times st on st.sleeper_transaction_id = coalesce(tm.sleeper_transaction_id, sm.sleeper_transaction_id)
),
sleeper_unmatched as (
    select s.* from sleeper s
    where s.sleeper_transaction_id not in (select sleeper_transaction_id from trade_matches)
      and s.leg_key not in (select sleeper_leg_key from single_matches)
)
select
    sheet_transaction_id as transaction_id, leg_key as transaction_key,
    case when in_sleeper then 'sheets+sleeper' else 'sheets' end as source_system,
    sheet_transaction_id as source_transaction_id, matched_sleeper_transaction_id as sleeper_transaction_id,
    sheet_row, sort_order as sheet_sort_order,
    season, week, time_frame, period, tx_type as transaction_type, asset_type, from_party, to_party,
    from_franchise_id, to_franchise_id, asset_name, player_name, player_id, position,
    pick_season, pick_round, pick_number, pick_original_franchise_id,
    contract_total, contract_years, split, faab_amount, occurred_at
from sheet_lineage
union all by name
select
    sleeper_transaction_id as transaction_id, leg_key as transaction_key, 'sleeper' as source_system,
    sleeper_transaction_id as source_transaction_id, sleeper_transaction_id,
    null::integer as sheet_row, null::bigint as sheet_sort_order,
    season, week, season || ' Week ' || week as time_frame, 'regular_season' as period,
    tx_type as transaction_type, asset_type, from_party, to_party, from_franchise_id, to_franchise_id,
    asset_name, player_name, player_id, position, pick_season, pick_round, null::integer as pick_number,
    pick_original_franchise_id, null::integer as contract_total, null::integer as contract_years,
    null::bigint[] as split, faab_amount, created_at as occurred_at
from sleeper_unmatched
