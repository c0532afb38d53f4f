-- A player_id is on at most one franchise's roster per season and snapshot (sheet and Sleeper rosters together).
-- A failure is either a wrong identity match or the two sources disagreeing about a trade.
select season, player_id, count(distinct franchise_id) as franchises,
       string_agg(distinct franchise_id, ', ' order by franchise_id) as franchise_ids,
       min(player_name) as player_name
from {{ ref('fct_rosters') }}
where player_id is not null
group by season, player_id, sheet_snapshot_dt, sleeper_snapshot_dt
having count(distinct franchise_id) > 1
