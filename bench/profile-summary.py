#!/usr/bin/env python3
"""Sums async-profiler's collapsed stacks (bench/profile.sh) into three Markdown tables.

    bench/profile-summary.py FILE.collapsed...

Each line of a file is `thread;frame;...;leaf COUNT`, the thread's name first (the `threads` option).
Printed: the share of CPU samples per thread (a pool's threads added up),
the leaf frames that take the most (kernel frames end in `_[k]`), and Ferry's own methods inclusive
(a method counts once per sample however deep it recurses).
"""
import collections
import re
import sys

TOP_LEAVES = 30
TOP_FERRY = 30


def read(paths):
    for path in paths:
        with open(path) as f:
            for line in f:
                stack, count = line.rstrip("\n").rsplit(" ", 1)
                yield stack.split(";"), int(count)


def thread_kind(frame):
    """`[ferry-read-2 tid=7744]` -> `ferry-read`: the tid and a pool's trailing number go, so that a
    pool's threads add up; numbers inside a name stay (`C2 CompilerThre`, the kernel's 15 characters)."""
    return re.sub(r"(-\d+)?\s*tid=\d+\]$", "", frame).lstrip("[")


def main(paths):
    total = 0
    threads = collections.Counter()
    leaves = collections.Counter()
    ferry = collections.Counter()
    for frames, n in read(paths):
        total += n
        threads[thread_kind(frames[0])] += n
        leaves[frames[-1]] += n
        for method in {f for f in frames[1:] if f.startswith("dev/ferry/") and "$$Lambda" not in f}:
            ferry[method] += n
    if total == 0:
        sys.exit("no samples in " + " ".join(paths))
    print(f"{total} samples (1 ms of CPU each) in {len(paths)} run(s)\n")
    for title, counter, limit in (("thread", threads, None), ("leaf frame", leaves, TOP_LEAVES),
                                  ("Ferry method, inclusive", ferry, TOP_FERRY)):
        print(f"| {title} | share of CPU |\n|---|---|")
        for name, n in counter.most_common(limit):
            print(f"| `{name[:110]}` | {100 * n / total:.1f}% |")
        print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
