-- QB Josh Allen and DL Josh Hines-Allen are two players with two ids, from every source: no row the source calls
-- a QB lands on Hines-Allen's id, no defender row lands on Allen's, and the two ids differ.
with qb as (
    select player_id from {{ ref('dim_player') }} where name_key = 'josh allen' and position = 'QB'
),
dl as (
    select player_id from {{ ref('dim_player') }} where name_key = 'josh hinesallen'
)
select i.source, i.dataset, i.source_key, i.source_name, i.source_position, i.player_id
from {{ ref('stg_identity__player_identity') }} i
where i.status = 'resolved'
  and ((i.player_id in (select player_id from dl) and i.position_families = 'QB')
    or (i.player_id in (select player_id from qb) and i.position_families in ('FRONT', 'DB,DST,FRONT')))
union all
select 'dim_player', null, null, 'Josh Allen / Josh Hines-Allen share an id', null, q.player_id
from qb q join dl d on d.player_id = q.player_id
