-- Cap by franchise and season: the sheet's reported space next to committed salary and dead cap computed from
-- the contract rows (implied_cap = committed + dead + traded + available).
with committed as (
    select gm_tab, contract_year as season, sum(amount) as committed_salary, count(*) as contracts
    from {{ ref('stg_sheets__contracts_active') }} group by all
),
dead as (
    select gm_tab, contract_year as season, sum(dead_cap_amount) as dead_cap_from_cuts
    from {{ ref('stg_sheets__contracts_cut') }} group by all
)
select
    f.franchise_id, f.franchise_name, f.owner_name, s.season,
    s.available_cap_space, s.dead_cap_space, s.traded_cap_space,
    coalesce(c.committed_salary, 0) as committed_salary, coalesce(c.contracts, 0) as contracts,
    coalesce(d.dead_cap_from_cuts, 0) as dead_cap_from_cuts,
    coalesce(c.committed_salary, 0) + coalesce(s.dead_cap_space, 0) + coalesce(s.traded_cap_space, 0)
      + coalesce(s.available_cap_space, 0) as implied_cap
from {{ ref('stg_sheets__cap_space') }} s
join {{ ref('dim_franchise') }} f on f.gm_tab = s.gm_tab
left join committed c on c.gm_tab = s.gm_tab and c.season = s.season
left join dead d on d.gm_tab = s.gm_tab and d.season = s.season
