-- No resolved pair crosses position families: a row matched by id, crosswalk, name or close spelling lands on a
-- player of a family the row allows (aliases may declare a mislabel, overrides are the analyst's word).
select source, dataset, source_key, source_name, source_position, position_families, player_id, player_family,
       method
from {{ ref('stg_identity__player_identity') }}
where status = 'resolved'
  and method in ('id', 'crosswalk', 'name_position_team', 'fuzzy')
  and position_families is not null
  and (method in ('name_position_team', 'fuzzy') or position_families not like '%,%')
  and not list_contains(string_split(position_families, ','), player_family)
