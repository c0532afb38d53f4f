-- Playoff bracket results per league season (bracket = winners or losers, from Sleeper's brackets): each match's
-- round, rosters and franchises, winner and loser, the place it decides (1 = the final, 3 = third place, 5 =
-- fifth) and, for one-week rounds, the week and both scores. The champion is the winner of the winners bracket's
-- place-1 match (is_championship).
with matches as (
    select b.*, l.playoff_week_start + b.round - 1 as week
    from {{ ref('stg_sleeper__brackets') }} b
    join {{ ref('stg_sleeper__league') }} l on l.league_id = b.league_id
)
select
    m.league_id, m.season, m.bracket, m.match_id, m.round, m.week, m.place,
    m.t1_roster_id, m.t2_roster_id, m.winner_roster_id, m.loser_roster_id,
    fw.franchise_id as winner_franchise_id, fl.franchise_id as loser_franchise_id,
    ws.points_for as winner_points, ls.points_for as loser_points,
    m.bracket = 'winners' and m.place = 1 as is_championship,
    case when m.bracket = 'winners' and m.place = 1 then m.winner_roster_id end as champion_roster_id
from matches m
left join {{ ref('dim_franchise') }} fw on fw.sleeper_roster_id = m.winner_roster_id
left join {{ ref('dim_franchise') }} fl on fl.sleeper_roster_id = m.loser_roster_id
left join {{ ref('mrt_matchups_weekly') }} ws on ws.league_id = m.league_id and ws.week = m.week
    and ws.roster_id = m.winner_roster_id
left join {{ ref('mrt_matchups_weekly') }} ls on ls.league_id = m.league_id and ls.week = m.week
    and ls.roster_id = m.loser_roster_id
