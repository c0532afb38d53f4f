-- The resolver's sheet answers by name key and position (blank when the sheet row gave only a roster slot): one
-- row per (name_key, position_hint) that the resolver settled on exactly one player. Backs resolve_player_id for
-- models that look players up by name; an ambiguous or unresolved name is simply absent.
with sheet as (
    select {{ name_key('source_name') }} as name_key,
           case when position_families is not null and position_families not like '%,%'
                then coalesce(source_position, '') else '' end as position_hint,
           player_id
    from {{ ref('stg_identity__player_identity') }}
    where source = 'sheets' and status = 'resolved'
)
select name_key, position_hint, min(player_id) as player_id
from sheet
group by name_key, position_hint
having count(distinct player_id) = 1
