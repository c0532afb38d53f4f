-- mrt_standings on each league season's last scored regular week reproduces Sleeper's own roster records
-- (settings wins / losses / ties / fpts / fpts_against, as stg_sleeper__rosters carries them). Rows returned are
-- rosters where the two disagree (points within a hundredth, Sleeper's precision) or, for a roster that has
-- played, standings that are missing.
with sleeper as (
    select distinct league_id, roster_id, wins, losses, ties, fpts, fpts_against
    from {{ ref('stg_sleeper__rosters') }}
),
last_week as (
    select s.* from {{ ref('mrt_standings') }} s
    join {{ ref('stg_sleeper__league') }} l on l.league_id = s.league_id
    where s.week = least(l.last_scored_week, l.playoff_week_start - 1)
)
select r.league_id, r.roster_id, r.wins, s.wins as standings_wins, r.losses, s.losses as standings_losses,
       r.fpts, s.points_for, r.fpts_against, s.points_against
from sleeper r
left join last_week s on s.league_id = r.league_id and s.roster_id = r.roster_id
where (r.wins + r.losses + r.ties) > 0
  and (s.roster_id is null or r.wins <> s.wins or r.losses <> s.losses or r.ties <> s.ties
       or abs(r.fpts - s.points_for) > 0.01 or abs(r.fpts_against - s.points_against) > 0.01)
