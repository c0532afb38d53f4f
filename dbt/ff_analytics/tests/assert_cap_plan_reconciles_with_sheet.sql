-- Reconciliation: for every franchise and season the sheet reports, the cap plan's available cap (salary cap -
-- committed contract rows - dead cap + traded cap) equals the GM tab's Available Cap Space row, and the committed
-- salary equals the tab's active salary. Returns the rows that differ.
select p.franchise_id, p.season, p.available_cap, s.available_cap as sheet_available_cap,
       p.committed_salary, s.active_salary as sheet_active_salary
from {{ ref('mrt_cap_plan') }} p
join {{ ref('stg_sheets__cap_space') }} s on s.franchise_id = p.franchise_id and s.season = p.season
where s.available_cap is not null
  and (p.available_cap <> s.available_cap or p.committed_salary <> s.active_salary)
