-- Cut contracts (dead cap) from the commissioner sheet, one row per GM tab, player and year. State dataset.
-- depends_on: {{ source('sheets', 'contracts_cut') }}
select
    gm as gm_tab, player as player_name, {{ name_key('player') }} as name_key, position,
    cast(year as integer) as contract_year, cast(dead_cap_amount as integer) as dead_cap_amount,
    dt as snapshot_dt
from {{ state_snapshot('raw/sheets/contracts_cut/dt=*/*.parquet') }}
where player is not null and trim(player) <> ''
