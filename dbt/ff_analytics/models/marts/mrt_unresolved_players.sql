-- Players the identity resolver could not settle, for the analyst: who (name, position, team as the source wrote
-- them), where they were seen (source, dataset, key, how many rows, which franchises roster them), the
-- candidates it rejected and why. Rostered players first: each is also a governance warning. Fix with an alias
-- (config/league/dim_name_alias.csv) or an override (config/league/player_overrides.csv).
with unresolved as (
    select * from {{ ref('stg_identity__player_identity') }} where status = 'unresolved'
),
sheet_franchises as (
    select {{ sheet_player_key('c.player_name', 'c.position', 'c.roster_slot') }} as source_key,
           string_agg(distinct c.franchise_id, ', ' order by c.franchise_id) as franchises
    from {{ ref('stg_sheets__contracts_active') }} c
    where c.player_name is not null
    group by 1
),
sleeper_franchises as (
    select r.sleeper_player_id as source_key,
           string_agg(distinct f.franchise_id, ', ' order by f.franchise_id) as franchises
    from {{ ref('stg_sleeper__rosters') }} r
    join {{ ref('dim_franchise') }} f on f.sleeper_roster_id = r.roster_id
    group by 1
)
select
    u.source_name as player_name, u.source_position as position, u.source_team as team,
    u.source, u.dataset, u.source_key, u.row_count, u.is_rostered,
    case u.source when 'sheets' then sf.franchises when 'sleeper' then lf.franchises end as rostered_by,
    u.candidates, u.candidate_detail, coalesce(len(u.candidates), 0) as candidate_count,
    u.reason, u.snapshot_dt
from unresolved u
left join sheet_franchises sf on u.source = 'sheets' and u.dataset = 'contracts_active' and sf.source_key = u.source_key
left join sleeper_franchises lf on u.source = 'sleeper' and u.dataset = 'rosters' and lf.source_key = u.source_key
order by u.is_rostered desc, u.source, u.dataset, u.source_name
