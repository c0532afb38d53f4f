{% macro name_key(expr) -%}
  {#- Join key for player names across sources (dynastyprocess merge_name style): lower case, no '(RS)' rookie
      marker, no punctuation, no generational suffix, single spaces. -#}
  trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(coalesce({{ expr }}, '')),
    '\s*\(rs\)', '', 'g'), '[.''’\-]', '', 'g'), '\b(jr|sr|ii|iii|iv|v)\b', '', 'g'), '\s+', ' ', 'g'))
{%- endmacro %}

{% macro id_text(expr) -%}
  {#- Provider ids arrive as ints, floats or strings ('NA' from CSVs): one canonical text form. -#}
  nullif(nullif(regexp_replace(trim(cast({{ expr }} as varchar)), '\.0+$', ''), ''), 'NA')
{%- endmacro %}

{% macro current_season() -%}
  {#- The league season the data is about: the first contract season on the Sheets GM tabs (falls back to the
      newest nflverse schedule season). Never a hard-coded date. -#}
  (select coalesce((select min(season) from {{ ref('stg_sheets__contracts_active') }}),
                   (select max(season) from {{ ref('stg_nflverse__schedule') }})))
{%- endmacro %}

{% macro projection_avg_type() -%}
  {#- Which consensus average the marts use (var projection_avg_type: average | robust | weighted). -#}
  {%- set value = var('projection_avg_type', 'weighted') | string | trim -%}
  {%- if value not in ['average', 'robust', 'weighted'] -%}
    {{ exceptions.raise_compiler_error("var projection_avg_type '" ~ value ~ "' must be average, robust or weighted") }}
  {%- endif -%}
  '{{ value }}'
{%- endmacro %}
