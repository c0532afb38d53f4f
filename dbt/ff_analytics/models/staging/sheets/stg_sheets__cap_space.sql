-- Cap space of each franchise by season as the GM tab reports it, with the connector's reconciliation
-- (available = salary_cap - active - dead + traded). State dataset.
select
    franchise_id, gm_tab, cast(season as integer) as season,
    cast(available_cap as integer) as available_cap, cast(dead_cap as integer) as dead_cap,
    cast(traded_cap as integer) as traded_cap, cast(active_salary as integer) as active_salary,
    cast(cut_contracts_dead_cap as integer) as cut_contracts_dead_cap, cast(salary_cap as integer) as salary_cap,
    cast(available_cap_computed as integer) as available_cap_computed, reconciles,
    dt as snapshot_dt
from {{ snapshot_source('sheets', 'cap_space', 'state') }}
