-- League results per roster and week, every season of the league chain: points for and against, the opponent,
-- the result, starters' and bench points, and the optimal lineup (best points the roster's players could have
-- started in the league's slots) with lineup efficiency = points / optimal. A week is final once scored
-- (week <= the league's last_scored_week); the week in progress has partial points and no result. A roster with
-- no game that week (matchup_id null: a playoff bye) has no opponent or result. is_playoff: week >= the first
-- playoff week. Optimal lineup: single-position slots take the best players of that position, then FLEX
-- (RB/WR/TE), SUPER_FLEX (QB/RB/WR/TE) and IDP_FLEX (DL/LB/DB) take the best of the rest, narrowest first —
-- exact for these nested or disjoint slot sets.
with games as (
    select m.*, l.last_scored_week, l.playoff_week_start, l.roster_positions
    from {{ ref('stg_sleeper__matchups') }} m
    join {{ ref('stg_sleeper__league') }} l on l.league_id = m.league_id
),
player_points as (
    select g.league_id, g.week, g.roster_id, e.key as sleeper_player_id, e.value as points
    from games g,
         unnest(map_entries(json_transform(g.players_points, '"MAP(VARCHAR, DOUBLE)"'))) as t(e)
),
positioned as (
    select pp.*, coalesce(p.fantasy_positions[1], p.position) as slot_position
    from player_points pp
    left join {{ ref('stg_sleeper__players') }} p on p.sleeper_player_id = pp.sleeper_player_id
),
slot_counts as (
    select league_id, slot, count(*) as n
    from (select league_id, unnest(roster_positions) as slot from {{ ref('stg_sleeper__league') }})
    where slot not in ('BN', 'IR', 'TAXI')
    group by all
),
fixed as (
    select p.*, row_number() over (partition by p.league_id, p.week, p.roster_id, p.slot_position
                                   order by p.points desc, p.sleeper_player_id) as rank_in_position
    from positioned p
),
fixed_picked as (
    select f.league_id, f.week, f.roster_id, f.sleeper_player_id, f.points
    from fixed f join slot_counts s on s.league_id = f.league_id and s.slot = f.slot_position
    where f.rank_in_position <= s.n
),
{%- set flex_slots = [('FLEX', "('RB', 'WR', 'TE')"), ('SUPER_FLEX', "('QB', 'RB', 'WR', 'TE')"),
                      ('IDP_FLEX', "('DL', 'LB', 'DB')")] %}
{%- for slot, eligible in flex_slots %}
{%- set previous = 'fixed_picked' if loop.first else 'picked_' ~ loop.index0 %}
picked_{{ loop.index }} as (
    select * from {{ previous }}
    union all
    select r.league_id, r.week, r.roster_id, r.sleeper_player_id, r.points
    from (
        select p.*, row_number() over (partition by p.league_id, p.week, p.roster_id
                                       order by p.points desc, p.sleeper_player_id) as rank_left
        from positioned p
        where p.slot_position in {{ eligible }}
          and not exists (select 1 from {{ previous }} x where x.league_id = p.league_id and x.week = p.week
                          and x.roster_id = p.roster_id and x.sleeper_player_id = p.sleeper_player_id)
    ) r
    join slot_counts s on s.league_id = r.league_id and s.slot = '{{ slot }}'
    where r.rank_left <= s.n
),
{%- endfor %}
optimal as (
    select league_id, week, roster_id, round(sum(points), 2) as optimal_points
    from picked_{{ flex_slots | length }} group by all
),
totals as (
    select league_id, week, roster_id, round(sum(points), 2) as roster_points
    from player_points group by all
)
select
    g.league_id, g.season, g.week, g.roster_id, f.franchise_id, g.matchup_id,
    g.week >= g.playoff_week_start as is_playoff, g.week <= g.last_scored_week as is_final,
    g.points as points_for, o.roster_id as opponent_roster_id, fo.franchise_id as opponent_franchise_id,
    o.points as points_against,
    case when o.roster_id is null or g.week > g.last_scored_week then null
         when g.points > o.points then 'W' when g.points < o.points then 'L' else 'T' end as result,
    coalesce(round(list_sum(g.starters_points), 2), g.points) as starters_points,
    round(t.roster_points - coalesce(list_sum(g.starters_points), g.points), 2) as bench_points,
    op.optimal_points,
    case when op.optimal_points > 0 then round(g.points / op.optimal_points, 4) end as lineup_efficiency
from games g
left join games o on o.league_id = g.league_id and o.week = g.week and o.matchup_id = g.matchup_id
    and o.roster_id <> g.roster_id
left join optimal op on op.league_id = g.league_id and op.week = g.week and op.roster_id = g.roster_id
left join totals t on t.league_id = g.league_id and t.week = g.week and t.roster_id = g.roster_id
left join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = g.roster_id
left join {{ ref('dim_franchise') }} fo on fo.sleeper_roster_id = o.roster_id
