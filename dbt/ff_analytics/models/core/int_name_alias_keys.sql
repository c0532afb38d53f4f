-- The league's curated name aliases (seed dim_name_alias) as join keys: a sheet typo, nickname or real name ->
-- the canonical name. Used to match names across sources and to let an alias win over a crosswalk row spelled
-- the same way (the alias table says the spelling means the canonical player).
select distinct {{ name_key('alias_name') }} as alias_key, {{ name_key('canonical_name') }} as canonical_key
from {{ ref('dim_name_alias') }}
where {{ name_key('alias_name') }} <> {{ name_key('canonical_name') }}
