-- Draft-pick ownership from the GM tabs. A traded pick appears twice: on the original owner's tab
-- (listed_in 'own') and on the acquiring franchise's tab (listed_in 'acquired'). State dataset.
select
    franchise_id, owner_name, original_franchise_id, original_owner_name,
    cast(season as integer) as season, cast(round as integer) as round,
    nullif(conditions, 'none') as conditions, coalesce(is_compensation, false) as is_compensation, compensation_note,
    listed_on_tab, listed_in, cast(sheet_row as integer) as sheet_row,
    franchise_id <> original_franchise_id as is_traded,
    dt as snapshot_dt
from {{ snapshot_source('sheets', 'draft_picks', 'state') }}
