#!/usr/bin/env python3
"""evict.py PATH...: drops the page cache of every file under each PATH (after a sync).

Benchmark outputs are moved away, not deleted (see away.sh), but their pages stay cached: after ~20
GB of them this 24 GiB VM had 1 GB free and every later write paid for reclaiming pages, which
made timings drift upwards through a series. Evicting them keeps each run's conditions alike.
"""
import os
import sys

for root in sys.argv[1:]:
    for dirpath, _, files in os.walk(root):
        for name in files:
            try:
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
