-- Current rosters: the sheet's named active contracts for the current season next to the Sleeper rosters of the
-- current league season, matched by franchise and player (id, else name). in_sheet / in_sleeper show where each
-- roster spot is recorded. Unnamed cap charges on the sheet are not roster spots.
with sheet as (
    select c.franchise_id, c.gm_tab, c.player_name, coalesce(a.canonical_key, c.name_key) as name_key, c.position,
           c.roster_slot, c.salary, {{ resolve_player_id('c.name_key', 'c.position') }} as player_id
    from {{ ref('stg_sheets__contracts_active') }} c
    join {{ ref('dim_franchise') }} f on f.franchise_id = c.franchise_id
    left join {{ ref('int_name_alias_keys') }} a on a.alias_key = c.name_key
    where c.season = {{ current_season() }} and c.player_name is not null
),
sleeper as (
    select f.franchise_id, x.player_id, r.sleeper_player_id, r.slot as sleeper_slot, p.full_name,
           coalesce(a.canonical_key, {{ name_key('p.full_name') }}) as name_key
    from {{ ref('stg_sleeper__rosters') }} r
    join {{ ref('stg_sleeper__league') }} l on l.league_id = r.league_id and l.is_current_season
    join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = r.roster_id
    left join {{ ref('dim_player_id_xref') }} x on x.sleeper_id = r.sleeper_player_id
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = r.sleeper_player_id
    left join {{ ref('int_name_alias_keys') }} a on a.alias_key = {{ name_key('p.full_name') }}
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
-- Same franchise and player id; the canonical name (aliases applied) is the fallback when the crosswalk holds one
-- person twice or not at all.
full outer join sleeper l
  on l.franchise_id = s.franchise_id and (l.player_id = s.player_id or l.name_key = s.name_key)
