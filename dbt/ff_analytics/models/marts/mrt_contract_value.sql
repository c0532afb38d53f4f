-- Every rostered contract ranked by surplus value (mrt_player_value: KTC value in the league's format minus the
-- value the league's cost curve expects for the salary), league-wide and within its franchise. Contracts without
-- a KTC value rank after those with one (surplus_value null). A franchise without contracts is one row with
-- null contract columns and missing_reason.
with contracts as (
    select franchise_id, player_key, any_value(player_id) as player_id, any_value(player_name) as player_name,
           any_value(position) as position, max(salary) filter (where seasons_from_now = 0) as current_salary,
           count(*) as years_remaining, sum(salary) as remaining_salary, sum(dead_cap_if_cut) as dead_cap_if_cut_now,
           max(season) as contract_end_season
    from {{ ref('int_contract_seasons') }}
    group by all
),
valued as (
    select c.*, v.ktc_value, v.vor, v.expected_value_for_salary, v.surplus_value,
           rank() over (order by v.surplus_value desc nulls last) as surplus_rank_league,
           rank() over (partition by c.franchise_id order by v.surplus_value desc nulls last) as surplus_rank_franchise
    from contracts c
    left join {{ ref('mrt_player_value') }} v on v.player_key = c.player_key
)
select
    f.franchise_id, f.franchise_name, f.owner_name, v.player_key, v.player_id, v.player_name, v.position,
    v.current_salary, v.years_remaining, v.remaining_salary, v.contract_end_season, v.dead_cap_if_cut_now,
    v.ktc_value, v.vor, v.expected_value_for_salary, v.surplus_value, v.surplus_rank_league, v.surplus_rank_franchise,
    case when v.franchise_id is null then coalesce(cov.missing_reason, 'no rostered contract') end as missing_reason
from {{ ref('dim_franchise') }} f
left join valued v on v.franchise_id = f.franchise_id
left join {{ ref('mrt_franchise_coverage') }} cov on cov.franchise_id = f.franchise_id
