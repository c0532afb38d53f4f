-- NFL games with conference/division context and a played flag.
select
    s.game_id, s.season, s.game_type, s.week, s.gameday, s.away_team, s.home_team, s.away_score, s.home_score,
    s.home_score is not null and s.away_score is not null as is_played,
    s.div_game = 1 as is_division_game, s.roof, s.surface, s.stadium
from {{ ref('stg_nflverse__schedule') }} s
