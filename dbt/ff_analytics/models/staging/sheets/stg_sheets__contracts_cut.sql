-- Cut contracts (dead cap) from the commissioner sheet: one row per GM-tab row, cut and season. State dataset.
select
    franchise_id, gm_tab, cast(sheet_row as integer) as sheet_row,
    nullif(trim(player_name), '') as player_name, {{ name_key('player_name') }} as name_key, position,
    cast(cut_instance as integer) as cut_instance, cast(season as integer) as season,
    cast(dead_cap as integer) as dead_cap, cast(dead_cap_total as integer) as dead_cap_total,
    total_matches as dead_cap_total_matches,
    dt as snapshot_dt
from {{ snapshot_source('sheets', 'contracts_cut', 'state') }}
