-- Sleeper playoff brackets (bracket = winners or losers), one row per match: round, the two rosters (null until
-- decided), where each came from (winner_of / loser_of an earlier match), winner, loser and the place the match
-- decides (1 = final, 3 = third place, 5 = fifth place). Every vetted snapshot is read, newest row per key kept.
select
    league_id, cast(season as integer) as season, bracket, cast(match_id as integer) as match_id,
    cast(round as integer) as round, cast(t1 as integer) as t1_roster_id, cast(t2 as integer) as t2_roster_id,
    cast(t1_from_winner_of as integer) as t1_from_winner_of, cast(t1_from_loser_of as integer) as t1_from_loser_of,
    cast(t2_from_winner_of as integer) as t2_from_winner_of, cast(t2_from_loser_of as integer) as t2_from_loser_of,
    cast(winner as integer) as winner_roster_id, cast(loser as integer) as loser_roster_id,
    cast(place as integer) as place,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'brackets', 'all') }}
{{ dedupe_newest_snapshot(['league_id', 'bracket', 'match_id']) }}
