-- League transactions: the commissioner sheet's log (system of record; franchises resolved by the connector from
-- the owner valid in each row's season) plus Sleeper's feed, one row per transaction item (add, drop, draft pick,
-- FAAB). Sleeper roster ids map to franchises through dim_franchise (Sleeper keeps roster ids across seasons).
with sheet as (
    select
        'sheets:' || t.sheet_row as transaction_key,
        cast(t.sort_order as varchar) as source_transaction_id, 'sheets' as source_system,
        t.season, t.week, t.time_frame, t.transaction_type, t.asset_type, null as action,
        coalesce(t.from_franchise_id, t.from_kind) as from_party, coalesce(t.to_franchise_id, t.to_kind) as to_party,
        t.from_franchise_id, t.to_franchise_id,
        t.asset_name, t.player_name, t.position, {{ resolve_player_id('t.name_key', 't.position') }} as player_id,
        t.original_franchise_id as pick_original_franchise_id, t.round as pick_round, t.pick as pick_number,
        t.contract_total, t.contract_years, t.split, null::integer as budget_amount, null::timestamp as occurred_at,
        null as status
    from {{ ref('stg_sheets__transactions') }} t
),
sleeper_items as (
    select
        s.*,
        case s.action when 'drop' then s.roster_id when 'draft_pick' then s.pick_previous_owner_id
                      when 'waiver_budget' then s.budget_sender end as from_roster_id,
        case s.action when 'add' then s.roster_id when 'draft_pick' then s.roster_id
                      when 'waiver_budget' then s.budget_receiver end as to_roster_id
    from {{ ref('stg_sleeper__transactions') }} s
),
sleeper as (
    select
        'sleeper:' || s.league_id || ':' || s.transaction_id || ':' || s.item_index as transaction_key,
        s.transaction_id as source_transaction_id, 'sleeper' as source_system,
        s.season, s.week, 'Week ' || s.week as time_frame, s.transaction_type,
        case s.action when 'add' then 'player' when 'drop' then 'player' when 'draft_pick' then 'draft_pick'
                      when 'waiver_budget' then 'faab' end as asset_type,
        s.action,
        coalesce(ff.franchise_id, cast(s.from_roster_id as varchar),
                 case when s.action = 'add' then 'waiver_wire' end) as from_party,
        coalesce(tf.franchise_id, cast(s.to_roster_id as varchar),
                 case when s.action = 'drop' then 'waiver_wire' end) as to_party,
        ff.franchise_id as from_franchise_id, tf.franchise_id as to_franchise_id,
        p.full_name as asset_name, p.full_name as player_name, p.position, x.player_id,
        of.franchise_id as pick_original_franchise_id, s.pick_round, null::integer as pick_number,
        null::integer as contract_total, null::integer as contract_years, null::bigint[] as split,
        s.budget_amount, s.created_at as occurred_at, s.status
    from sleeper_items s
    left join {{ ref('dim_franchise') }} ff on ff.sleeper_roster_id = s.from_roster_id
    left join {{ ref('dim_franchise') }} tf on tf.sleeper_roster_id = s.to_roster_id
    left join {{ ref('dim_franchise') }} of on of.sleeper_roster_id = s.pick_original_roster_id
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = s.sleeper_player_id
    left join {{ ref('dim_player_id_xref') }} x on x.sleeper_id = s.sleeper_player_id
)
select * from sheet
union all by name
select * from sleeper
