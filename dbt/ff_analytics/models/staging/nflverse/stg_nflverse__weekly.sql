-- Player stats by week (nflverse stats_player_week). History dataset: the global snapshot strategy, newest
-- snapshot's row per player-week.
select
    * exclude (player_id, season, week, dt),
    player_id as gsis_id,
    cast(season as integer) as season,
    cast(week as integer) as week,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'weekly', 'history') }}
where player_id is not null
{{ dedupe_newest_snapshot(['player_id', 'season', 'week']) }}
