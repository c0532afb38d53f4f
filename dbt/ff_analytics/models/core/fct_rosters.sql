-- Current rosters: the sheet's active contracts for the current season matched with Sleeper rosters by
-- franchise and player (id, else name). in_sheet / in_sleeper show where each roster spot is recorded.
with sheet as (
    select f.franchise_id, c.gm_tab, c.player_name, c.name_key, c.position, c.roster_slot, c.amount as salary,
           {{ resolve_player_id('c.name_key', 'c.position') }} as player_id
    from {{ ref('stg_sheets__contracts_active') }} c
    join {{ ref('dim_franchise') }} f on f.gm_tab = c.gm_tab
    where c.contract_year = {{ current_season() }}
),
sleeper as (
    select f.franchise_id, x.player_id, r.sleeper_player_id, r.slot as sleeper_slot, p.full_name,
           {{ name_key('p.full_name') }} as name_key
    from {{ ref('stg_sleeper__rosters') }} r
    join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = r.roster_id
    left join {{ ref('dim_player_id_xref') }} x on x.sleeper_id = r.sleeper_player_id
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = r.sleeper_player_id
)
select
    coalesce(s.franchise_id, l.franchise_id) as franchise_id,
    coalesce(s.player_id, l.player_id) as player_id,
    coalesce(s.player_name, l.full_name) as player_name,
    s.position, s.roster_slot, s.salary, l.sleeper_player_id, l.sleeper_slot,
    s.franchise_id is not null as in_sheet,
    l.franchise_id is not null as in_sleeper,
    coalesce(s.player_id, l.player_id, 'name:' || s.name_key) as roster_player_key
from sheet s
-- Same franchise and player id; the name is the fallback when the crosswalk holds one person twice.
full outer join sleeper l
  on l.franchise_id = s.franchise_id and (l.player_id = s.player_id or l.name_key = s.name_key)
