-- Cap plan per franchise and contract season (the current season and the future ones the GM tabs carry):
-- committed salary (every active contract row, unnamed cap charges included), dead cap and traded cap as the
-- sheet reports them, available cap computed from them (salary_cap - committed - dead + traded), the sheet's own
-- available cap for reconciliation (test assert_cap_plan_reconciles_with_sheet), roster spots filled (named
-- contracts), and the cap a cut now would free in that season for each player (salary - dead cap, by the
-- league's dead-cap rule in int_contract_seasons), best first. Every franchise has a row per season; one without
-- sheet data carries missing_reason.
with seasons as (
    select distinct season from {{ ref('stg_sheets__cap_space') }}
),
committed as (
    select franchise_id, season, sum(salary) as committed_salary,
           count(distinct player_name) filter (where player_name is not null) as roster_spots_filled
    from {{ ref('stg_sheets__contracts_active') }}
    group by all
),
cuts as (
    select franchise_id, season,
           list({'player_name': player_name, 'position': position, 'salary': salary,
                 'dead_cap': dead_cap_if_cut, 'cap_freed': salary - dead_cap_if_cut}
                order by salary - dead_cap_if_cut desc, player_name) as cap_freed_by_cut,
           max(salary - dead_cap_if_cut) as max_cap_freed_by_one_cut
    from {{ ref('int_contract_seasons') }}
    group by all
)
select
    f.franchise_id, f.franchise_name, f.owner_name, y.season,
    y.season - {{ current_season() }} as seasons_from_now,
    s.salary_cap,
    case when s.franchise_id is not null then coalesce(c.committed_salary, 0) end as committed_salary,
    s.dead_cap, s.traded_cap,
    cast(s.salary_cap - coalesce(c.committed_salary, 0) - coalesce(s.dead_cap, 0) + coalesce(s.traded_cap, 0)
         as integer) as available_cap,
    s.available_cap as sheet_available_cap,
    case when s.franchise_id is not null then coalesce(c.roster_spots_filled, 0) end as roster_spots_filled,
    u.max_cap_freed_by_one_cut, u.cap_freed_by_cut,
    s.franchise_id is not null as has_data,
    case when s.franchise_id is null then coalesce(cov.missing_reason, 'no cap row for season ' || y.season) end
      as missing_reason
from {{ ref('dim_franchise') }} f
cross join seasons y
left join {{ ref('stg_sheets__cap_space') }} s on s.franchise_id = f.franchise_id and s.season = y.season
left join committed c on c.franchise_id = f.franchise_id and c.season = y.season
left join cuts u on u.franchise_id = f.franchise_id and u.season = y.season
left join {{ ref('mrt_franchise_coverage') }} cov on cov.franchise_id = f.franchise_id
