#!/usr/bin/env python3
"""Sums a JFR recording's jdk.Compilation events: per upload window and per method.

    bench/jfr-compilations.py RECORDING.jfr [WINDOWS]

WINDOWS (written by bench/jit-time.sh) has one line per upload: number, start and end in epoch
milliseconds, and the server's CPU in ms. Only compilations the recording kept are counted (its
threshold, 5 ms in jit-time.sh), so the sums are a lower bound of the compilers' time.
"""
import collections
import datetime
import json
import os
import re
import subprocess
import sys


def jfr_tool():
    here = os.path.dirname(os.path.abspath(__file__))
    script = f'. "{here}/../scripts/find-jdk.sh" && ferry_find_jdk >/dev/null && echo "$FERRY_JAVA_HOME"'
    home = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    return os.path.join(home, "bin", "jfr")


def compilations(recording):
    out = subprocess.run([jfr_tool(), "print", "--json", "--events", "jdk.Compilation", recording],
                         capture_output=True, text=True, check=True).stdout
    for event in json.loads(out)["recording"]["events"]:
        v = event["values"]
        # "2026-11-22T07:11:57.895520600Z": nanoseconds, which fromisoformat does not take
        stamp = re.sub(r"(\.\d{6})\d*", r"\1", v["startTime"]).replace("Z", "+00:00")
        start = datetime.datetime.fromisoformat(stamp).timestamp() * 1000
        # durations look like "PT0.18S"
        ms = float(v["duration"][2:-1]) * 1000
        m = v["method"]
        name = f'{m["type"]["name"].replace("/", ".")}.{m["name"]}'
        yield start, ms, int(v["compileLevel"]), name, bool(v["succeded"])


def main():
    events = list(compilations(sys.argv[1]))
    if len(sys.argv) > 2:
        print("| upload | wall (ms) | server CPU (ms) | compile time inside it (ms) | of which C2 |")
        print("|---|---|---|---|---|")
        with open(sys.argv[2]) as f:
            for line in f:
                n, start, end, cpu = line.split()
                inside = [e for e in events if int(start) <= e[0] <= int(end)]
                total = sum(e[1] for e in inside)
                c2 = sum(e[1] for e in inside if e[2] == 4)
                print(f"| {n} | {int(end) - int(start)} | {cpu} | {total:.0f} | {c2:.0f} |")
        print()
    by_method = collections.Counter()
    count = collections.Counter()
    failed = collections.Counter()
    for _, ms, _, name, ok in events:
        by_method[name] += ms
        count[name] += 1
        failed[name] += 0 if ok else 1
    total = sum(e[1] for e in events)
    print(f"{len(events)} compilations of 5 ms or more, {total:.0f} ms in all; the costliest:")
    for name, ms in by_method.most_common(15):
        note = f", {failed[name]} failed" if failed[name] else ""
        print(f"  {ms:6.0f} ms  {count[name]}x{note}  {name}")
    thrown = [(ms, level, name) for _, ms, level, name, ok in events if not ok]
    print(f"{len(thrown)} of them failed (e.g. the memory limit), {sum(t[0] for t in thrown):.0f} ms thrown away:")
    for ms, level, name in sorted(thrown, reverse=True)[:15]:
        print(f"  {ms:6.0f} ms  tier {level}  {name}")


if __name__ == "__main__":
    main()
