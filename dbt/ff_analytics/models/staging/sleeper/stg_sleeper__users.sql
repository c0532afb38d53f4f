-- League members (Sleeper users) per league season. The real endpoint has no username: display_name is the
-- handle, team_name comes from metadata. Co-owners are members without a roster of their own. State dataset.
select
    league_id, cast(season as integer) as season, user_id, display_name, team_name, avatar as avatar_id,
    coalesce(is_owner, false) as is_owner, coalesce(is_bot, false) as is_bot,
    dt as snapshot_dt
from {{ snapshot_source('sleeper', 'users', 'state') }}
