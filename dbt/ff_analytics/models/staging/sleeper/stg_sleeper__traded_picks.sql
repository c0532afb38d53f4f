-- Traded draft picks as each league season lists them (roster_id = the original owner's roster). State dataset.
select
    league_id, cast(league_season as integer) as league_season, cast(season as integer) as season,
    cast(round as integer) as round, cast(roster_id as integer) as roster_id,
    cast(previous_owner_id as integer) as previous_owner_roster_id, cast(owner_id as integer) as owner_roster_id,
    draft_id,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'traded_picks', 'state') }}
