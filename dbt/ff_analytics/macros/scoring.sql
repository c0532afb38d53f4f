{% macro score_stats(stats_relation, stat_source, rules_relation) -%}
  {#- Fantasy points per row group: stat values x points_per_unit of the rule mapped to each stat, with the
      rule valid in the stat's season. rules_relation has stat_name, points_per_unit, valid_from/to_season. -#}
  select s.*, s.stat_value * r.points_per_unit as points
  from {{ stats_relation }} s
  join {{ ref('scoring_stat_map') }} m on m.stat_source = '{{ stat_source }}' and m.stat_name = s.stat_name
  join {{ rules_relation }} r
    on r.stat_name = m.rule_stat_name and s.season between r.valid_from_season and r.valid_to_season
{%- endmacro %}
