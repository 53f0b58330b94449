#!/bin/sh
# Moves benchmark outputs into $TRASH instead of deleting them, and drops their cached pages.
# Deleting is what hurts: ext4 without a journal (this VM's disk) skips inodes freed in the last 1-6
# minutes when it allocates new ones, so after a big delete every file create costs up to ~0.3 ms
# instead of ~20 us, for minutes (seen as cp -r of the 20k tree taking 3-12 s). Usage: away.sh PATH...
sync
python3 "$(dirname "$0")/evict.py" "$@"
for p in "$@"; do
  if [ -e "$p" ]; then
    mkdir -p "$TRASH" && mv "$p" "$TRASH/$(date +%s%N)"
  fi
done
