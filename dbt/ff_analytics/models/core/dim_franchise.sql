-- League franchises with their current owner / GM tab, and the Sleeper roster that holds the same players.
-- The sheet rows carry franchise_id; the Sleeper roster of the current league season is matched by roster overlap
-- with the sheet's current-season contracts (no shared id exists between the two systems).
with current_owner as (
    select franchise_id, franchise_name, division, established_season, owner_name, gm_tab, season_start
    from {{ ref('league_franchise') }} where is_current_owner
),
sheet_players as (
    select distinct c.franchise_id, {{ resolve_player_id('c.name_key', 'c.position') }} as player_id
    from {{ ref('stg_sheets__contracts_active') }} c
    where c.player_name is not null and c.season = {{ current_season() }}
),
current_league as (
    select league_id from {{ ref('stg_sleeper__league') }} where is_current_season
),
sleeper_players as (
    select r.league_id, r.roster_id, r.owner_id, x.player_id
    from {{ ref('stg_sleeper__rosters') }} r
    join current_league l on l.league_id = r.league_id
    join {{ ref('dim_player_id_xref') }} x on x.sleeper_id = r.sleeper_player_id
),
overlap_counts as (
    select s.franchise_id, p.league_id, p.roster_id, p.owner_id, count(*) as shared_players
    from sheet_players s join sleeper_players p on p.player_id = s.player_id
    group by all
),
overlap as (
    select * from overlap_counts
    qualify row_number() over (partition by franchise_id order by shared_players desc, roster_id) = 1
)
select f.*, o.roster_id as sleeper_roster_id, o.owner_id as sleeper_owner_id, u.display_name as sleeper_display_name,
       o.shared_players as sleeper_shared_players
from current_owner f
left join overlap o on o.franchise_id = f.franchise_id
left join {{ ref('stg_sleeper__users') }} u on u.user_id = o.owner_id and u.league_id = o.league_id
