-- Each franchise's roster (sheet contracts) with contract terms, cap context and the newest KTC value in the
-- league's format. A franchise without a roster is one row with null player columns and missing_reason.
with contracts as (
    select c.franchise_id, c.name_key, sum(c.salary) as contract_total, count(*) as contract_years,
           max(c.season) as contract_end_year
    from {{ ref('stg_sheets__contracts_active') }} c
    where c.player_name is not null
    group by all
),
latest_ktc as (
    select * from {{ ref('fct_asset_market_values') }}
    where asset_type = 'player' and player_id is not null
      and market_scope = (select ktc_market_scope from {{ ref('int_league_format') }})
    qualify row_number() over (partition by player_id order by snapshot_dt desc) = 1
),
cap as (
    select franchise_id, available_cap from {{ ref('stg_sheets__cap_space') }} where season = {{ current_season() }}
),
roster as (
    select
        r.franchise_id, r.player_id, r.player_name, r.position, r.roster_slot,
        r.salary as current_salary, c.contract_total, c.contract_years, c.contract_end_year,
        k.ktc_value, k.overall_rank as ktc_rank, k.as_of_date as ktc_as_of_date, r.in_sleeper
    from {{ ref('fct_rosters') }} r
    left join contracts c on c.franchise_id = r.franchise_id and c.name_key = {{ name_key('r.player_name') }}
    left join latest_ktc k on k.player_id = r.player_id
    where r.in_sheet
)
select
    f.franchise_id, f.franchise_name, f.owner_name, r.player_id, r.player_name, r.position, r.roster_slot,
    r.current_salary, r.contract_total, r.contract_years, r.contract_end_year,
    r.ktc_value, r.ktc_rank, r.ktc_as_of_date, cap.available_cap as franchise_cap_space, r.in_sleeper,
    case when r.franchise_id is null then coalesce(cov.missing_reason, 'no rostered player') end as missing_reason
from {{ ref('dim_franchise') }} f
left join roster r on r.franchise_id = f.franchise_id
left join cap on cap.franchise_id = f.franchise_id
left join {{ ref('mrt_franchise_coverage') }} cov on cov.franchise_id = f.franchise_id
