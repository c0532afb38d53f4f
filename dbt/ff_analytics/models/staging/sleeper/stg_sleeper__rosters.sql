-- Sleeper rosters per league season, one row per roster and player (slot: starter, bench, reserve, taxi).
-- A roster without players keeps one row with a null player in the source; it is left out here. State dataset.
select
    league_id, cast(season as integer) as season, cast(roster_id as integer) as roster_id, owner_id, co_owners,
    player_id as sleeper_player_id, slot, starter_position,
    coalesce(is_starter, false) as is_starter, coalesce(is_reserve, false) as is_reserve,
    coalesce(is_taxi, false) as is_taxi,
    cast(wins as integer) as wins, cast(losses as integer) as losses, cast(ties as integer) as ties,
    fpts, fpts_against,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'rosters', 'state') }}
where player_id is not null
