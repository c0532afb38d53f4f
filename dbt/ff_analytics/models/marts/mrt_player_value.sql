-- Player value vs contract, one row per player (projected, valued by KTC, or rostered on the sheet).
-- VOR: the consensus season projection (league scoring, newest projected season) minus the replacement level of
-- the player's position, found by filling the league's starting slots (int_league_format) for every team:
-- dedicated slots by position rank, then FLEX (RB/WR/TE), WRRB_FLEX, REC_FLEX (WR/TE), SUPER_FLEX (QB/RB/WR/TE)
-- and IDP_FLEX (DL/LB/DB) from the best remaining eligible players. Replacement points = the best non-starter of
-- the position (the last starter's points when every projected player starts).
-- Market value: the newest KTC value in the league's format (int_league_format.ktc_market_scope).
-- Contract (rostered players): salary per remaining season, dead cap if cut now (int_contract_seasons' rule).
-- Cost curve: KTC value as a function of current salary, fitted by least squares over the league's own rostered
-- contracts with a KTC value: expected_value = intercept + slope * ln(salary). surplus_value = ktc_value -
-- expected value of his salary (positive: the contract buys more value than the league usually pays for).
with fmt as (
    select * from {{ ref('int_league_format') }}
),
proj_season as (
    select max(season) as season from {{ ref('mrt_fantasy_projections') }}
),
projections as (
    select coalesce(p.player_id, 'name:' || {{ name_key('p.player_name') }}) as player_key,
           any_value(p.player_id) as player_id, any_value(p.player_name) as player_name,
           any_value(p.position) as position, sum(p.projected_points) as projected_points,
           count(*) as projected_weeks
    from {{ ref('mrt_fantasy_projections') }} p
    where p.season = (select season from proj_season) and p.projected_points is not null
    group by all
),
ranked as (
    select *, row_number() over (partition by position order by projected_points desc, player_key) as pos_rank
    from projections
),
dedicated as (
    select r.*,
        r.pos_rank <= f.teams * case r.position when 'QB' then f.qb_slots when 'RB' then f.rb_slots
            when 'WR' then f.wr_slots when 'TE' then f.te_slots when 'K' then f.k_slots when 'DEF' then f.def_slots
            when 'DL' then f.dl_slots when 'LB' then f.lb_slots when 'DB' then f.db_slots else 0 end as is_starter
    from ranked r cross join fmt f
),
{{ fill_flex_slots('dedicated', 'after_flex', 'flex_slots', ['RB', 'WR', 'TE']) }},
{{ fill_flex_slots('after_flex', 'after_wrrb', 'wrrb_flex_slots', ['RB', 'WR']) }},
{{ fill_flex_slots('after_wrrb', 'after_rec', 'rec_flex_slots', ['WR', 'TE']) }},
{{ fill_flex_slots('after_rec', 'after_superflex', 'superflex_slots', ['QB', 'RB', 'WR', 'TE']) }},
{{ fill_flex_slots('after_superflex', 'starters', 'idp_flex_slots', ['DL', 'LB', 'DB']) }},
replacement as (
    select position,
           coalesce(max(projected_points) filter (where not is_starter),
                    min(projected_points) filter (where is_starter)) as replacement_points
    from starters group by all
),
vor as (
    select s.player_key, s.player_id, s.player_name, s.position, round(s.projected_points, 2) as projected_points,
           s.projected_weeks, s.is_starter as projects_as_starter, round(r.replacement_points, 2) as replacement_points,
           round(s.projected_points - r.replacement_points, 2) as vor
    from starters s join replacement r using (position)
),
ktc as (
    select m.player_id, coalesce(m.player_id, 'name:' || {{ name_key('m.asset_name') }}) as player_key,
           m.asset_name, m.position, m.ktc_value, m.overall_rank as ktc_rank, m.market_scope as ktc_market_scope,
           m.as_of_date as ktc_as_of_date
    from {{ ref('fct_asset_market_values') }} m
    where m.asset_type = 'player' and m.market_scope = (select ktc_market_scope from fmt)
    qualify row_number() over (partition by coalesce(m.player_id, 'name:' || {{ name_key('m.asset_name') }})
                               order by m.snapshot_dt desc) = 1
),
contracts as (
    select player_key, any_value(player_id) as player_id, any_value(player_name) as player_name,
           any_value(position) as position, any_value(franchise_id) as franchise_id,
           count(distinct franchise_id) as franchises,
           max(salary) filter (where seasons_from_now = 0) as current_salary,
           list({'season': season, 'salary': salary} order by season) as salary_by_season,
           count(*) as years_remaining, sum(salary) as remaining_salary,
           sum(dead_cap_if_cut) as dead_cap_if_cut_now,
           max(season) as contract_end_season
    from {{ ref('int_contract_seasons') }}
    group by player_key
),
players as (
    select player_key from vor union select player_key from ktc union select player_key from contracts
),
joined as (
    select
        p.player_key, coalesce(c.player_id, v.player_id, k.player_id) as player_id,
        coalesce(c.player_name, v.player_name, k.asset_name) as player_name,
        coalesce(c.position, v.position, k.position) as position,
        v.projected_points, v.projected_weeks, v.projects_as_starter, v.replacement_points, v.vor,
        k.ktc_value, k.ktc_rank, k.ktc_market_scope, k.ktc_as_of_date,
        c.franchise_id, c.current_salary, c.salary_by_season, c.years_remaining, c.remaining_salary,
        c.dead_cap_if_cut_now, c.remaining_salary - c.dead_cap_if_cut_now as cap_freed_if_cut_now,
        c.contract_end_season
    from players p
    left join vor v using (player_key)
    left join ktc k using (player_key)
    left join contracts c using (player_key)
),
curve as (
    -- rounded: DuckDB's parallel aggregation sums in varying order, so the last float digits of a fit vary from run
    -- to run; six decimals keep the curve exact to far below a KTC point and the mart identical run to run
    select round(regr_intercept(ktc_value, ln(current_salary)), 6) as cost_curve_intercept,
           round(regr_slope(ktc_value, ln(current_salary)), 6) as cost_curve_slope,
           regr_count(ktc_value, ln(current_salary)) as cost_curve_contracts
    from joined where franchise_id is not null and ktc_value is not null and current_salary > 0
)
select
    j.*,
    case when j.vor is not null then rank() over (order by j.vor desc nulls last) end as vor_rank,
    round(c.cost_curve_intercept + c.cost_curve_slope * ln(j.current_salary), 0) as expected_value_for_salary,
    round(j.ktc_value - (c.cost_curve_intercept + c.cost_curve_slope * ln(j.current_salary)), 0) as surplus_value,
    c.cost_curve_intercept, c.cost_curve_slope, c.cost_curve_contracts
from joined j cross join curve c
