select player_id, trim(player_name) as player_name, upper(position) as position, team
from {{ ref('players') }}
