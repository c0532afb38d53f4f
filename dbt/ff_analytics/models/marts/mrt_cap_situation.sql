-- Cap by franchise and season: the sheet's reported space next to committed salary and dead cap computed from
-- the contract rows. reconciles: the GM tab's available cap equals salary_cap - active - dead + traded;
-- matches_contract_rows: the active salary and dead cap the tab reports equal the sums of its contract rows.
with committed as (
    select franchise_id, season, sum(salary) as committed_salary, count(player_name) as contracts
    from {{ ref('stg_sheets__contracts_active') }} group by all
),
dead as (
    select franchise_id, season, sum(dead_cap) as dead_cap_from_cuts
    from {{ ref('stg_sheets__contracts_cut') }} group by all
)
select
    f.franchise_id, f.franchise_name, f.owner_name, s.season, s.salary_cap,
    s.available_cap, s.dead_cap, s.traded_cap, s.active_salary,
    coalesce(c.committed_salary, 0) as committed_salary, coalesce(c.contracts, 0) as contracts,
    coalesce(d.dead_cap_from_cuts, 0) as dead_cap_from_cuts,
    s.available_cap_computed, s.reconciles,
    coalesce(c.committed_salary, 0) = s.active_salary and coalesce(d.dead_cap_from_cuts, 0) = s.cut_contracts_dead_cap
      as matches_contract_rows
from {{ ref('stg_sheets__cap_space') }} s
join {{ ref('dim_franchise') }} f on f.franchise_id = s.franchise_id
left join committed c on c.franchise_id = s.franchise_id and c.season = s.season
left join dead d on d.franchise_id = s.franchise_id and d.season = s.season
