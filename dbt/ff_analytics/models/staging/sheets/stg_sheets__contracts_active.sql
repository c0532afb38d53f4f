-- Active contracts from the commissioner sheet: one row per GM tab, player and contract year. State dataset.
-- depends_on: {{ source('sheets', 'contracts_active') }}
select
    gm as gm_tab, player as player_name, {{ name_key('player') }} as name_key, position, roster_slot,
    cast(year as integer) as contract_year, cast(amount as integer) as amount,
    coalesce(cast(rfa as boolean), false) as is_rfa, coalesce(cast(franchise_tag as boolean), false) as is_franchise_tag,
    dt as snapshot_dt
from {{ state_snapshot('raw/sheets/contracts_active/dt=*/*.parquet') }}
where player is not null and trim(player) <> ''
