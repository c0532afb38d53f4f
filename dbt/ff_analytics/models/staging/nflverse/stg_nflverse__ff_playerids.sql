-- Player id crosswalk (dynastyprocess db_playerids via nflreadpy). Ids as text; 'NA' means missing.
select
    {{ id_text('mfl_id') }} as mfl_id,
    {{ id_text('gsis_id') }} as gsis_id,
    {{ id_text('sleeper_id') }} as sleeper_id,
    {{ id_text('espn_id') }} as espn_id,
    {{ id_text('pfr_id') }} as pfr_id,
    {{ id_text('ktc_id') }} as ktc_id,
    {{ id_text('fantasypros_id') }} as fantasypros_id,
    {{ id_text('yahoo_id') }} as yahoo_id,
    {{ id_text('sportradar_id') }} as sportradar_id,
    {{ id_text('nfl_id') }} as nfl_id,
    {{ id_text('pff_id') }} as pff_id,
    name as player_name,
    coalesce(nullif(merge_name, 'NA'), {{ name_key('name') }}) as merge_name,
    nullif(position, 'NA') as position,
    nullif(team, 'NA') as team,
    try_cast(nullif(cast(birthdate as varchar), 'NA') as date) as birthdate,
    try_cast(db_season as integer) as db_season,
    dt as snapshot_dt
from {{ snapshot_source('nflverse', 'ff_playerids', 'state') }}
