#!/bin/sh
# maillage-backup.sh — one online backup of a Maillage database into a
# folder, keeping the KEEP most recent copies (default 14). Used by
# maillage-backup.service; usable from cron too.
#   maillage-backup.sh /var/lib/maillage/maillage.db /var/lib/maillage/backups [14]
set -eu
db=${1:?base attendue}
dir=${2:?dossier des copies attendu}
keep=${3:-14}
bin=${MAILLAGE_BIN:-maillage}
case $keep in ''|*[!0-9]*|0) echo "maillage-backup: nombre de copies invalide : $keep" >&2; exit 2 ;; esac
mkdir -p "$dir"
"$bin" backup "$dir/maillage-$(date -u +%Y-%m-%dT%H%M%S.%N).db" --db "$db"
ls -1 "$dir"/maillage-*.db | sort -r | tail -n +"$((keep + 1))" | while read -r old; do
	rm -f -- "$old"
done
