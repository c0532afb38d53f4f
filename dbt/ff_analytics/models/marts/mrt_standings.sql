-- Regular-season standings per league season and week (scored weeks before the playoffs): the record and points
-- for/against to date, the all-play record (a week's all-play wins = the share of the other rosters it outscored,
-- ties half) and luck = wins - all-play expected wins, the standing (wins, then points for) and, on the last
-- regular week, the playoff seed (standing <= playoff_teams). Reproduces Sleeper's own roster records (wins,
-- losses, ties, fpts, fpts_against) on the last scored regular week: tested against stg_sleeper__rosters.
with regular as (
    select m.*, l.playoff_week_start, l.playoff_teams, l.last_scored_week
    from {{ ref('mrt_matchups_weekly') }} m
    join {{ ref('stg_sleeper__league') }} l on l.league_id = m.league_id
    where m.is_final and not coalesce(m.is_playoff, false) and m.result is not null
),
all_play as (
    select r.league_id, r.week, r.roster_id,
           (sum(case when r.points_for > o.points_for then 1.0 when r.points_for = o.points_for then 0.5
                     else 0 end)) / nullif(count(*), 0) as all_play_share,
           sum(case when r.points_for > o.points_for then 1 else 0 end) as all_play_wins,
           sum(case when r.points_for < o.points_for then 1 else 0 end) as all_play_losses
    from regular r join regular o on o.league_id = r.league_id and o.week = r.week and o.roster_id <> r.roster_id
    group by all
),
to_date as (
    select
        r.league_id, r.season, r.week, r.roster_id, r.franchise_id, r.playoff_week_start, r.playoff_teams,
        r.last_scored_week,
        sum(case when r.result = 'W' then 1 else 0 end) over w as wins,
        sum(case when r.result = 'L' then 1 else 0 end) over w as losses,
        sum(case when r.result = 'T' then 1 else 0 end) over w as ties,
        round(sum(r.points_for) over w, 2) as points_for,
        round(sum(r.points_against) over w, 2) as points_against,
        sum(a.all_play_wins) over w as all_play_wins,
        sum(a.all_play_losses) over w as all_play_losses,
        round(sum(a.all_play_share) over w, 3) as all_play_expected_wins
    from regular r
    join all_play a on a.league_id = r.league_id and a.week = r.week and a.roster_id = r.roster_id
    window w as (partition by r.league_id, r.roster_id order by r.week rows between unbounded preceding and current row)
),
ranked as (
    select *, row_number() over (partition by league_id, week order by wins desc, points_for desc, roster_id)
              as standing
    from to_date
)
select
    league_id, season, week, roster_id, franchise_id, wins, losses, ties, points_for, points_against,
    all_play_wins, all_play_losses, all_play_expected_wins, round(wins - all_play_expected_wins, 3) as luck,
    standing,
    case when week = playoff_week_start - 1 and standing <= playoff_teams then standing end as playoff_seed,
    week = max(week) over (partition by league_id) as is_latest_week
from ranked
