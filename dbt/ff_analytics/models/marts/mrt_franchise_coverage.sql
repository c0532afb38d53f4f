-- One row per franchise of dim_franchise: which sources hold data for it and, when the sheet has none, why.
-- Every per-franchise mart joins missing_reason from here, so an absent franchise is a visible row, never a gap.
with sheet_snapshot as (
    select max(snapshot_dt) as snapshot_dt from {{ ref('stg_sheets__cap_space') }}
),
cap as (
    select franchise_id, count(*) as cap_rows from {{ ref('stg_sheets__cap_space') }} group by all
),
contracts as (
    select franchise_id, count(distinct player_name) as contracted_players
    from {{ ref('stg_sheets__contracts_active') }}
    where player_name is not null and season = {{ current_season() }}
    group by all
)
select
    f.franchise_id, f.franchise_name, f.owner_name, f.gm_tab,
    coalesce(cap.cap_rows, 0) > 0 as has_sheet_tab,
    coalesce(c.contracted_players, 0) as contracted_players,
    f.sleeper_roster_id is not null as has_sleeper_roster,
    s.snapshot_dt as sheet_snapshot_dt,
    case
        when coalesce(cap.cap_rows, 0) = 0
            then 'no GM tab ''' || f.gm_tab || ''' in the commissioner sheet snapshot dt=' || coalesce(cast(s.snapshot_dt as varchar), '?')
                 || case when f.sleeper_roster_id is null then '; no Sleeper roster matched to it' else '' end
        when coalesce(c.contracted_players, 0) = 0
            then 'GM tab ''' || f.gm_tab || ''' lists no contract for season ' || {{ current_season() }}
    end as missing_reason
from {{ ref('dim_franchise') }} f
cross join sheet_snapshot s
left join cap on cap.franchise_id = f.franchise_id
left join contracts c on c.franchise_id = f.franchise_id
