-- Picks of a draft that changed hands before it (Sleeper /draft/<id>/traded_picks): roster_id is the pick's
-- original roster, owner_roster_id who holds it. State dataset.
select
    league_id, cast(league_season as integer) as league_season, draft_id, cast(season as integer) as season,
    cast(round as integer) as round, cast(roster_id as integer) as roster_id,
    cast(previous_owner_id as integer) as previous_owner_roster_id, cast(owner_id as integer) as owner_roster_id,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'draft_traded_picks', 'state') }}
