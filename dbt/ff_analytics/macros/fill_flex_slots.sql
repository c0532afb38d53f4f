{% macro fill_flex_slots(previous, result, slots_column, positions) %}
  {#- Two CTEs: the best non-starters of `positions` (one list of player_key) take the league's
      `teams * <slots_column>` flex slots, and `<result>` is `<previous>` with them marked as starters.
      Called once per flex kind, in the order the league fills them (mrt_player_value). -#}
{{ result }}_picks as (
    select d.player_key, row_number() over (order by d.projected_points desc, d.player_key)
      <= f.teams * f.{{ slots_column }} as is_flex
    from {{ previous }} d cross join fmt f
    where not d.is_starter and d.position in ({{ "'" ~ positions | join("', '") ~ "'" }})
),
{{ result }} as (
    select d.* replace (d.is_starter or coalesce(x.is_flex, false) as is_starter)
    from {{ previous }} d left join {{ result }}_picks x using (player_key)
)
{%- endmacro %}
