#!/bin/sh
# Moves benchmark outputs into $TRASH instead of deleting them (see run.sh: ext4 and recently
# deleted inodes). Usage: away.sh PATH...
for p in "$@"; do
  if [ -e "$p" ]; then
    mkdir -p "$TRASH" && mv "$p" "$TRASH/$(date +%s%N)"
  fi
done
