{% macro staging_model_names() %}
  {#- Every staging model, listed statically so tests that loop over them have their refs at parse time
      (tests/dbt/test_dbt_project.py checks this list against the files in models/staging). -#}
  {{ return([
    'stg_ffanalytics__projections_consensus', 'stg_ffanalytics__projections_raw',
    'stg_identity__player_identity',
    'stg_ktc__picks', 'stg_ktc__players',
    'stg_nflverse__ff_opportunity', 'stg_nflverse__ff_playerids', 'stg_nflverse__players',
    'stg_nflverse__schedule', 'stg_nflverse__snap_counts', 'stg_nflverse__teams', 'stg_nflverse__weekly',
    'stg_sheets__cap_space', 'stg_sheets__contracts_active', 'stg_sheets__contracts_cut',
    'stg_sheets__draft_picks', 'stg_sheets__transactions',
    'stg_sleeper__brackets', 'stg_sleeper__draft_traded_picks', 'stg_sleeper__league', 'stg_sleeper__matchups',
    'stg_sleeper__players', 'stg_sleeper__rosters', 'stg_sleeper__traded_picks', 'stg_sleeper__transactions',
    'stg_sleeper__users',
  ]) }}
{% endmacro %}
