select * from (
  values ('BUF', 'AFC', 'East'), ('PHI', 'NFC', 'East'), ('DET', 'NFC', 'North'), ('KC', 'AFC', 'West')
) as t (team, conference, division)
