-- NFL games (nflverse schedules); scores fill in as weeks are played, so the newest snapshot wins per game.
select
    game_id, cast(season as integer) as season, game_type, cast(week as integer) as week,
    try_cast(gameday as date) as gameday, weekday, gametime,
    away_team, home_team, cast(away_score as integer) as away_score, cast(home_score as integer) as home_score,
    location, cast(result as integer) as result, cast(total as integer) as total,
    cast(overtime as integer) as overtime, cast(div_game as integer) as div_game, roof, surface,
    spread_line, total_line, stadium_id, stadium,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'schedule', 'history') }}
{{ dedupe_newest_snapshot(['game_id']) }}
