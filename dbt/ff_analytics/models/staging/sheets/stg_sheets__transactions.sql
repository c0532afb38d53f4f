-- The league's transaction log (TRANSACTIONS tab), the system of record for trades, cuts, drafts and FAAD:
-- one row per sheet row (a trade spans several rows sharing sort_order). Franchises come resolved from the
-- owner valid in the row's season; the other side of a move can be the waiver wire (from_kind / to_kind).
select
    cast(sheet_row as integer) as sheet_row, cast(sort_order as bigint) as sort_order,
    time_frame, cast(season as integer) as season, period, cast(week as integer) as week, is_trade_deadline,
    transaction_type,
    from_kind, from_franchise_id, to_kind, to_franchise_id,
    original_franchise_id, original_order_text, cast(round as integer) as round, cast(pick as integer) as pick,
    pick_tbd, position, asset_type, asset_name,
    case when asset_type = 'player' then asset_name end as player_name,
    {{ name_key("case when asset_type = 'player' then asset_name end") }} as name_key,
    cast(contract_total as integer) as contract_total, cast(contract_years as integer) as contract_years,
    split, cast(split_total as integer) as split_total, split_matches_contract,
    rfa_matched, rfa_note, faad_compensation,
    dt as snapshot_dt
from {{ snapshot_source('sheets', 'transactions', 'state') }}
