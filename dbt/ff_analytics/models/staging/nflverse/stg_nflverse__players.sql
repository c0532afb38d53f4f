-- NFL players (nflverse players). State dataset: one snapshot.
select
    gsis_id, display_name, first_name, last_name, football_name, suffix,
    {{ id_text('esb_id') }} as esb_id, {{ id_text('nfl_id') }} as nfl_id, {{ id_text('pfr_id') }} as pfr_id,
    {{ id_text('pff_id') }} as pff_id, {{ id_text('espn_id') }} as espn_id,
    try_cast(birth_date as date) as birth_date, position_group, position,
    height, weight, college_name, cast(rookie_season as integer) as rookie_season,
    cast(last_season as integer) as last_season, latest_team, status,
    cast(years_of_experience as integer) as years_of_experience,
    cast(draft_year as integer) as draft_year, cast(draft_round as integer) as draft_round,
    cast(draft_pick as integer) as draft_pick, draft_team,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'players', 'state') }}
where gsis_id is not null
