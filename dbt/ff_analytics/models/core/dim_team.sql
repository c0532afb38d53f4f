-- NFL teams (newest season's record per team) with conference and division from the reference seed.
select t.team, t.team_name, t.location, t.nickname, t.season as as_of_season, c.conference, c.division
from {{ ref('stg_nflverse__teams') }} t
left join {{ ref('dim_team_conference_division') }} c on c.team_abbr = t.team
qualify row_number() over (partition by t.team order by t.season desc) = 1
