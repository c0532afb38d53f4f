-- Snap counts by player-game (nflverse snap_counts; players keyed by PFR id).
select
    game_id, pfr_game_id, cast(season as integer) as season, game_type, cast(week as integer) as week,
    player as player_name, pfr_player_id, position, team, opponent,
    cast(offense_snaps as integer) as offense_snaps, offense_pct,
    cast(defense_snaps as integer) as defense_snaps, defense_pct,
    cast(st_snaps as integer) as st_snaps, st_pct,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'snap_counts', 'history') }}
where pfr_player_id is not null
{{ dedupe_newest_snapshot(['pfr_player_id', 'game_id']) }}
