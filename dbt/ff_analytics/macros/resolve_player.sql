{% macro resolve_player_id(name_key_expr, position_expr) -%}
  {#- Scalar subqueries against int_player_name_lookup: same name and fantasy position first, else a name that
      is unique among players with a real position, else a name carried by exactly one crosswalk row of any
      position (its position is a roster slot such as BN). Sheet slots (FLEX, BN, ...) carry no position, hence
      the fallbacks. -#}
  coalesce(
    (select l.player_id from {{ ref('int_player_name_lookup') }} l
      where l.name_key = {{ name_key_expr }} and l.fantasy_position = {{ position_expr }}
        and l.candidates_in_position = 1 limit 1),
    (select min(l.player_id) from {{ ref('int_player_name_lookup') }} l
      where l.name_key = {{ name_key_expr }} and l.is_real_position and l.candidates_any_position = 1),
    (select min(l.player_id) from {{ ref('int_player_name_lookup') }} l
      where l.name_key = {{ name_key_expr }} and l.candidates_any_position = 0 and l.candidates_total = 1))
{%- endmacro %}
