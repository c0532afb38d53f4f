{% macro sheet_player_key(name_expr, position_expr, slot_expr='null') -%}
  {#- The source key the identity resolver gives a commissioner-sheet row: the name as written, '|', the position
      (else the roster slot, else nothing). Same rule as ff_analytics.identity.sources. -#}
  (trim({{ name_expr }}) || '|' || coalesce({{ position_expr }}, {{ slot_expr }}, ''))
{%- endmacro %}

{% macro join_player_identity(alias, source, dataset, key_expr) -%}
  {#- Left join the resolver's answer for one source row: <alias>.player_id is null when it is unresolved (the
      reason and candidates are in mrt_unresolved_players), never a guess. -#}
  left join {{ ref('stg_identity__player_identity') }} {{ alias }}
    on {{ alias }}.source = '{{ source }}' and {{ alias }}.dataset = '{{ dataset }}'
   and {{ alias }}.source_key = {{ key_expr }}
{%- endmacro %}

{% macro resolve_player_id(name_key_expr, position_expr) -%}
  {#- For models that still look players up by sheet name and position (dim_franchise, fct_league_transactions):
      the resolver's answer for that name and position on any sheet dataset, only when it is one player
      (int_player_name_lookup). No fallbacks of its own: aliases, scopes and ambiguity are the resolver's. -#}
  {#- The lookup's columns are renamed so that a caller's bare column names (name_key) bind to the caller's row. -#}
  (select l.lookup_player_id
     from (select name_key as lookup_name_key, position_hint as lookup_position_hint, player_id as lookup_player_id
             from {{ ref('int_player_name_lookup') }}) l
    where l.lookup_name_key = {{ name_key_expr }} and l.lookup_position_hint = coalesce({{ position_expr }}, ''))
{%- endmacro %}
