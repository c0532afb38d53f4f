-- Current rosters: the sheet's named active contracts for the current season next to the Sleeper rosters of the
-- current league season, matched by franchise and the resolver's player_id (stg_identity__player_identity). in_sheet
-- / in_sleeper show where each roster spot is recorded; a player the resolver left unresolved keeps his own row
-- (player_id null, roster_player_key 'name:...') and is listed in mrt_unresolved_players. Unnamed cap charges on
-- the sheet are not roster spots.
with sheet as (
    select c.franchise_id, c.gm_tab, c.player_name, c.name_key, c.position, c.roster_slot, c.salary, i.player_id,
           c.snapshot_dt
    from {{ ref('stg_sheets__contracts_active') }} c
    join {{ ref('dim_franchise') }} f on f.franchise_id = c.franchise_id
    {{ join_player_identity('i', 'sheets', 'contracts_active',
                            sheet_player_key('c.player_name', 'c.position', 'c.roster_slot')) }}
    where c.season = {{ current_season() }} and c.player_name is not null
),
sleeper as (
    select f.franchise_id, i.player_id, r.sleeper_player_id, r.slot as sleeper_slot, p.full_name,
           {{ name_key('p.full_name') }} as name_key, r.snapshot_dt
    from {{ ref('stg_sleeper__rosters') }} r
    join {{ ref('stg_sleeper__league') }} l on l.league_id = r.league_id and l.is_current_season
    join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = r.roster_id
    {{ join_player_identity('i', 'sleeper', 'rosters', 'r.sleeper_player_id') }}
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = r.sleeper_player_id
)
select
    {{ current_season() }} as season,
    coalesce(s.franchise_id, l.franchise_id) as franchise_id,
    coalesce(s.player_id, l.player_id) as player_id,
    coalesce(s.player_name, l.full_name) as player_name,
    s.position, s.roster_slot, s.salary, l.sleeper_player_id, l.sleeper_slot,
    s.franchise_id is not null as in_sheet,
    l.franchise_id is not null as in_sleeper,
    coalesce(s.player_id, l.player_id, 'name:' || s.name_key, 'sleeper:' || l.sleeper_player_id) as roster_player_key,
    s.snapshot_dt as sheet_snapshot_dt, l.snapshot_dt as sleeper_snapshot_dt
from sheet s
-- Same franchise and resolved player; two rows the resolver left open pair up only on an identical name key (a
-- display convenience for one franchise's roster, not an identity: player_id stays null).
full outer join sleeper l
  on l.franchise_id = s.franchise_id
 and (l.player_id = s.player_id or (l.player_id is null and s.player_id is null and l.name_key = s.name_key))
