-- Where a franchise has both a sheet roster and a Sleeper roster, both list the same players: a resolved
-- sheet player missing from Sleeper, or a Sleeper player missing from the sheet, is a failure.
select r.franchise_id, r.player_id, r.player_name, r.in_sheet, r.in_sleeper
from {{ ref('fct_rosters') }} r
join {{ ref('dim_franchise') }} f on f.franchise_id = r.franchise_id
where f.sleeper_roster_id is not null
  and r.in_sheet <> r.in_sleeper
  and (r.in_sleeper or r.player_id is not null)
