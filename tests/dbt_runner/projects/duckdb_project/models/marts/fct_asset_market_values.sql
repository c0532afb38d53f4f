-- Stand-in for the real project's KTC market values (players; dynasty_1qb scope; one snapshot).
select 'player:' || m.player_id as asset_key, 'player' as asset_type, m.player_id, p.player_name as asset_name,
       p.position, 'dynasty_1qb' as market_scope, m.ktc_value, date '2025-10-25' as as_of_date
from {{ ref('market_values') }} m
join {{ ref('players') }} p using (player_id)
