-- Sleeper rosters per league season, one row per roster and player (slot: starter, bench, reserve, taxi).
-- A roster without players keeps one row with a null player in the source; it is left out here. The record
-- columns (wins, losses, ties, fpts = points for, fpts_against, ppts = max possible points, record = one W/L/T
-- per scored regular-season week, streak) repeat on every player row of a roster. State dataset.
select
    league_id, cast(season as integer) as season, cast(roster_id as integer) as roster_id, owner_id, co_owners,
    player_id as sleeper_player_id, slot, starter_position,
    coalesce(is_starter, false) as is_starter, coalesce(is_reserve, false) as is_reserve,
    coalesce(is_taxi, false) as is_taxi, coalesce(is_keeper, false) as is_keeper,
    cast(wins as integer) as wins, cast(losses as integer) as losses, cast(ties as integer) as ties,
    fpts, fpts_against, ppts, record, streak,
    cast(waiver_position as integer) as waiver_position, cast(waiver_budget_used as integer) as waiver_budget_used,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'rosters', 'state') }}
where player_id is not null
