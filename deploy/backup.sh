#!/bin/sh
# Backups of the AnciLab portal: the PostgreSQL database (pg_dump, custom format) and the media files (uploads,
# built PDFs), kept BACKUP_KEEP_DAYS days. The compose `backup` service runs `schedule` in the postgres image, so
# pg_dump is the server's own version; the script runs as well on any host with the PostgreSQL client tools.
#
#   backup.sh schedule         a backup every day at BACKUP_TIME (and one at start when the newest is over a day old)
#   backup.sh backup           one backup now: BACKUP_DIR/ancilab-YYYYmmdd-HHMMSS.dump and ...-media.tar.gz
#   backup.sh list             the backups, oldest first
#   backup.sh restore STAMP    STAMP (YYYYmmdd-HHMMSS) or `latest`: drops and recreates PGDATABASE from the dump and
#                              replaces the media files with the archive. Stop web, worker and beat first.
#   backup.sh check            exit 0 when the newest dump is less than 26 hours old (the container's health check)
#
# Connection: libpq's variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
set -eu
# Backups hold personal data: readable by their owner only.
umask 077

BACKUP_DIR=${BACKUP_DIR:-/backups}
MEDIA_DIR=${MEDIA_DIR:-/media}
BACKUP_TIME=${BACKUP_TIME:-02:30}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
: "${PGDATABASE:?set PGDATABASE}"

log() { echo "backup: $*"; }
size() { du -h "$1" | cut -f1; }

newest_stamp() {
    find "$BACKUP_DIR" -maxdepth 1 -name 'ancilab-*.dump' | sed -n 's/.*ancilab-\([0-9]\{8\}-[0-9]\{6\}\)\.dump$/\1/p' \
        | sort | tail -n 1
}

backup() {
    mkdir -p "$BACKUP_DIR"
    base="$BACKUP_DIR/ancilab-$(date +%Y%m%d-%H%M%S)"
    # Written under a temporary name, renamed when complete: a listed backup is always a whole one.
    pg_dump --format=custom --file="$base.dump.partial"
    mv "$base.dump.partial" "$base.dump"
    if [ -d "$MEDIA_DIR" ]; then
        tar -czf "$base-media.tar.gz.partial" -C "$MEDIA_DIR" .
        mv "$base-media.tar.gz.partial" "$base-media.tar.gz"
        log "wrote $base.dump ($(size "$base.dump")) and $base-media.tar.gz ($(size "$base-media.tar.gz"))"
    else
        log "wrote $base.dump ($(size "$base.dump")); no media folder at $MEDIA_DIR"
    fi
    # Retention runs only after a backup succeeded, so the newest backups are never the ones deleted.
    find "$BACKUP_DIR" -maxdepth 1 -name 'ancilab-*' -mtime +"$BACKUP_KEEP_DAYS" -print | while read -r old; do
        rm -f "$old" && log "deleted $old (older than $BACKUP_KEEP_DAYS days)"
    done
}

restore() {
    stamp=${1:?usage: backup.sh restore STAMP|latest}
    [ "$stamp" != latest ] || stamp=$(newest_stamp)
    dump="$BACKUP_DIR/ancilab-$stamp.dump"
    media="$BACKUP_DIR/ancilab-$stamp-media.tar.gz"
    [ -f "$dump" ] || { echo "backup: no backup $dump" >&2; exit 1; }
    # A damaged dump stops here, before anything is dropped.
    pg_restore --list "$dump" > /dev/null
    log "restoring $dump into database $PGDATABASE (dropped and created again)"
    dropdb --if-exists --force --maintenance-db=postgres "$PGDATABASE"
    createdb --maintenance-db=postgres "$PGDATABASE"
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PGDATABASE" "$dump"
    if [ -f "$media" ]; then
        mkdir -p "$MEDIA_DIR"
        find "$MEDIA_DIR" -mindepth 1 -delete
        tar -xzf "$media" -C "$MEDIA_DIR"
        log "restored $media into $MEDIA_DIR"
    fi
    log "restore of $stamp done"
}

check() {
    [ -n "$(find "$BACKUP_DIR" -maxdepth 1 -name 'ancilab-*.dump' -mmin -1560 2> /dev/null)" ]
}

schedule() {
    trap 'log "stopped"; exit 0' TERM INT
    log "a backup every day at $BACKUP_TIME ($(date +%Z)) into $BACKUP_DIR, kept $BACKUP_KEEP_DAYS days"
    # Each run is a process of its own: `set -e` would not apply inside a function called with ||.
    check || sh "$0" backup || log "backup FAILED"
    while :; do
        now=$(date +%s)
        next=$(date -d "today $BACKUP_TIME" +%s)
        [ "$next" -gt "$now" ] || next=$(date -d "tomorrow $BACKUP_TIME" +%s)
        # Sleep in the background and wait: the shell (PID 1 in the container) then answers SIGTERM at once.
        sleep $((next - now)) &
        wait $!
        sh "$0" backup || log "backup FAILED: the container turns unhealthy when the newest backup is a day old"
    done
}

command=${1:-}
[ $# -eq 0 ] || shift
case "$command" in
    schedule) schedule ;;
    backup) backup ;;
    restore) restore "$@" ;;
    list) find "$BACKUP_DIR" -maxdepth 1 -name 'ancilab-*' ! -name '*.partial' | sort ;;
    check) check ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
