#!/bin/sh
# empty-trash.sh [NEED_GB]: deletes $TRASH (benchmark outputs moved aside by away.sh) only when the
# disk holding it has less than NEED_GB (default 40) free, and then waits 400 s before returning.
# ext4 without a journal (this VM's disk) skips inodes deleted in the last 60 s when it allocates new
# ones, and in the last 360 s while their inode-table block is dirty, which creating files keeps
# making it: deleting a series' 20 GB of trees and timing `cp -r` a minute later measured the delete,
# not cp (bench/RESULTS.md). So: delete rarely, and wait out the longer window when deleting.
set -e
: "${TRASH:?TRASH must name the trash folder}"
need_kb=$(( ${1:-40} * 1048576 ))
[ -d "$TRASH" ] || exit 0
avail_kb=$(df -Pk "$TRASH" | awk 'NR==2 {print $4}')
[ "$avail_kb" -lt "$need_kb" ] || exit 0
echo "emptying $TRASH (disk space), then waiting 400 s for ext4's recently-deleted window" >&2
rm -rf "$TRASH"
sync
sleep 400
