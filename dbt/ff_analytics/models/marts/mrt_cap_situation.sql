-- Cap by franchise and season: the sheet's reported space next to committed salary and dead cap computed from
-- the contract rows. Every franchise of dim_franchise has a row per season; one without sheet data carries
-- missing_reason and null amounts. reconciles: the GM tab's available cap equals salary_cap - active - dead +
-- traded; matches_contract_rows: the active salary and dead cap the tab reports equal the sums of its rows.
with seasons as (
    select distinct season from {{ ref('stg_sheets__cap_space') }}
),
committed as (
    select franchise_id, season, sum(salary) as committed_salary, count(player_name) as contracts
    from {{ ref('stg_sheets__contracts_active') }} group by all
),
dead as (
    select franchise_id, season, sum(dead_cap) as dead_cap_from_cuts
    from {{ ref('stg_sheets__contracts_cut') }} group by all
)
select
    f.franchise_id, f.franchise_name, f.owner_name, y.season, s.salary_cap,
    s.available_cap, s.dead_cap, s.traded_cap, s.active_salary,
    case when s.franchise_id is not null then coalesce(c.committed_salary, 0) end as committed_salary,
    case when s.franchise_id is not null then coalesce(c.contracts, 0) end as contracts,
    case when s.franchise_id is not null then coalesce(d.dead_cap_from_cuts, 0) end as dead_cap_from_cuts,
    s.available_cap_computed, s.reconciles,
    case when s.franchise_id is not null then
        coalesce(c.committed_salary, 0) = s.active_salary and coalesce(d.dead_cap_from_cuts, 0) = s.cut_contracts_dead_cap
    end as matches_contract_rows,
    s.franchise_id is not null as has_data,
    case when s.franchise_id is null then coalesce(cov.missing_reason, 'no cap row for season ' || y.season) end
      as missing_reason
from {{ ref('dim_franchise') }} f
cross join seasons y
left join {{ ref('stg_sheets__cap_space') }} s on s.franchise_id = f.franchise_id and s.season = y.season
left join {{ ref('mrt_franchise_coverage') }} cov on cov.franchise_id = f.franchise_id
left join committed c on c.franchise_id = f.franchise_id and c.season = y.season
left join dead d on d.franchise_id = f.franchise_id and d.season = y.season
