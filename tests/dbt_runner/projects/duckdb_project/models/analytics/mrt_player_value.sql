-- Player value from the analytics flow (newest snapshot). Empty, with the right columns, until the flow has run.
-- depends_on: {{ source('analytics', 'player_value') }}
{%- set pattern = var('data_root', 'data') ~ '/raw/analytics/player_value/dt=*/*.parquet' -%}
{%- set has_files = execute and (run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] > 0) %}
{% if has_files %}
with src as (select * from {{ source('analytics', 'player_value') }})
select player_id, player_name, position, projected_points, replacement_points, vor, vor_rank, ktc_value, ktc_rank,
       rank_gap, dt as snapshot_dt
from src where dt = (select max(dt) from src)
{% else %}
select null::varchar as player_id, null::varchar as player_name, null::varchar as position,
       null::double as projected_points, null::double as replacement_points, null::double as vor,
       null::bigint as vor_rank, null::bigint as ktc_value, null::bigint as ktc_rank, null::bigint as rank_gap,
       null::date as snapshot_dt
where false
{% endif %}
