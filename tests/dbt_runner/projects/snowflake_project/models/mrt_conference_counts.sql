select conference, count(*) as teams from {{ ref('stg_teams') }} group by conference
