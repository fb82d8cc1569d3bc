#!/usr/bin/env bash
# The feed's page query (the 21 nearest open shifts to central Berlin) in
# the seeded city and in one ten times as dense, within the whole 10 km
# radius and within smaller reaches (the market looks within the reach that
# held a page there before: market/feedreach.go). Prints the median of five
# EXPLAIN ANALYZE runs and the index entries read.
#
#   BENCH_DB=bench bash scripts/bench-density.sh
#
# The dense city is a scratch table (Berlin's shifts copied ten times,
# each copy moved by up to ~300 m, with the feed's index), dropped after.
set -euo pipefail
DB=${BENCH_DB:?BENCH_DB must name a seeded database}
P="psql -h 127.0.0.1 -U postgres -d $DB -qAt"
trap '$P -c "DROP TABLE IF EXISTS dense_city"' EXIT
$P -c "DROP TABLE IF EXISTS dense_city" -c "CREATE TABLE dense_city AS SELECT * FROM shifts WHERE lat BETWEEN 52.34 AND 52.70 AND lng BETWEEN 13.1 AND 13.7"
cols=$($P -c "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'shifts'")
for i in 1 2 3 4 5 6 7 8 9; do
  sel=$(echo "$cols" | sed "s/\bid\b/id || '_$i'/; s/\blat\b/lat + (random()-0.5)*0.005/; s/\blng\b/lng + (random()-0.5)*0.008/")
  $P -c "INSERT INTO dense_city SELECT $sel FROM shifts WHERE lat BETWEEN 52.34 AND 52.70 AND lng BETWEEN 13.1 AND 13.7"
done
$P -c "CREATE INDEX dense_city_feed ON dense_city (status, lat, lng) INCLUDE (starts_at, filled, slots, id)" -c "VACUUM ANALYZE dense_city"
page() { # table reach → EXPLAIN ANALYZE of the page query
  $P <<SQL
EXPLAIN ANALYZE SELECT near.id FROM $1 near WHERE near.status = 'PUBLISHED' AND near.starts_at > now() AND near.filled < near.slots
 AND near.lat BETWEEN 52.52 - $2/111.32 AND 52.52 + $2/111.32
 AND near.lng BETWEEN 13.405 - $2/(111.32*0.6088) AND 13.405 + $2/(111.32*0.6088)
 AND ((near.lat-52.52)*111.32)^2 + ((near.lng-13.405)*111.32*0.6088)^2 <= $2*$2
 ORDER BY ((near.lat-52.52)*111.32)^2 + ((near.lng-13.405)*111.32*0.6088)^2, near.id LIMIT 21;
SQL
}
for t in shifts dense_city; do
  echo "$t: $($P -c "SELECT count(*) FROM $t WHERE status = 'PUBLISHED' AND starts_at > now() AND filled < slots
    AND ((lat-52.52)*111.32)^2 + ((lng-13.405)*111.32*0.6088)^2 <= 100") open shifts within 10 km"
  for R in 10 2 1.1 0.5 0.35; do
    ms=$(for _ in 1 2 3 4 5; do page $t $R | awk '/Execution Time/ {print $3}'; done | sort -n | sed -n 3p)
    read_=$(page $t $R | grep -o "Index Only Scan.*rows=[0-9]* loops" | grep -o "rows=[0-9]*" | tail -1)
    echo "  within $R km: median $ms ms, index entries read: ${read_#rows=}"
  done
done
