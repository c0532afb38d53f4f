{% macro resolve_player_id(name_key_expr, position_expr) -%}
  {#- Scalar subqueries against int_player_name_lookup: same name and fantasy position first, else a name that
      is unique among players with a real position. Sheet slots (FLEX, BN, ...) carry no position, hence the fallback. -#}
  coalesce(
    (select l.player_id from {{ ref('int_player_name_lookup') }} l
      where l.name_key = {{ name_key_expr }} and l.fantasy_position = {{ position_expr }}
        and l.candidates_in_position = 1 limit 1),
    (select min(l.player_id) from {{ ref('int_player_name_lookup') }} l
      where l.name_key = {{ name_key_expr }} and l.is_real_position and l.candidates_any_position = 1))
{%- endmacro %}
