-- Active contracts from the commissioner sheet (sheets connector table contracts_active): one row per GM-tab
-- roster row and contract season. Rows without a player name are unnamed cap charges the sheet keeps (they count
-- toward the cap, not toward a roster). State dataset.
select
    franchise_id, gm_tab, cast(sheet_row as integer) as sheet_row, roster_slot, position,
    nullif(trim(player_name), '') as player_name, {{ name_key('player_name') }} as name_key,
    coalesce(rookie_status, false) as is_rookie,
    cast(season as integer) as season, cast(salary as integer) as salary, cast(contract_total as integer) as contract_total,
    coalesce(rfa, false) as is_rfa, coalesce(franchise_tag, false) as is_franchise_tag,
    total_matches as contract_total_matches,
    dt as snapshot_dt
from {{ snapshot_source('sheets', 'contracts_active', 'state') }}
