-- Expected fantasy points by player-game (ffopportunity ep_weekly; season arrives as text, week as float).
select
    * exclude (season, week, player_id, posteam, dt),
    cast(season as integer) as season,
    cast(week as integer) as week,
    player_id as gsis_id,
    posteam as team,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'ff_opportunity', 'history') }}
where player_id is not null
{{ dedupe_newest_snapshot(['player_id', 'game_id']) }}
