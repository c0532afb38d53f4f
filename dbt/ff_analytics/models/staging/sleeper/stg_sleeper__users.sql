-- League members (Sleeper users) per league season. State dataset.
select
    league_id, cast(season as integer) as season, user_id, username, display_name, team_name,
    coalesce(is_owner, false) as is_owner, coalesce(is_bot, false) as is_bot,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'users', 'state') }}
