#!/usr/bin/env python3
"""Turns the hyperfine JSON of bench/run.sh into the Markdown table of bench/RESULTS.md.

`ferry` is the normal CLI with the local server running (the command is handed to it);
`ferry-in-process` opens the store in the CLI's own JVM (FERRY_IN_PROCESS=1)."""
import json
import os
import sys

results = sys.argv[1]
TARGETS = {
    "cold20k": [("restic", 0.6), ("cp", 1.0)],
    "rerun20k": [("restic", 0.5)],
    "down20k": [("cp", 1.0)],
    "big2g": [("restic", 0.5)],
}
TITLES = {
    "cold20k": "cold upload, 20,000 files of 16-80 KiB (1 GB)",
    "rerun20k": "no-change re-upload of the same tree",
    "down20k": "download of the 20k-file bundle",
    "big2g": "upload of one 2 GiB file",
}
FERRIES = ["ferry", "ferry-in-process"]

print("| case | ferry | ferry (s) | peer | peer (s) | ratio of means | ratio of medians | target | met |")
print("|---|---|---|---|---|---|---|---|---|")
for case in ["cold20k", "rerun20k", "down20k", "big2g"]:
    path = os.path.join(results, case + ".json")
    if not os.path.exists(path):
        continue
    times = {r["command"]: r for r in json.load(open(path))["results"]}
    for mine in [f for f in FERRIES if f in times]:
        ferry = times[mine]
        for peer in [p for p in times if p not in FERRIES]:
            target = dict(TARGETS.get(case, [])).get(peer)
            ratio = ferry["mean"] / times[peer]["mean"]
            median_ratio = ferry["median"] / times[peer]["median"]
            met = "" if target is None else ("yes" if ratio <= target else "**no**")
            print("| %s | %s | %.2f ± %.2f | %s | %.2f ± %.2f | %.2f | %.2f | %s | %s |" % (
                TITLES[case], "server running" if mine == "ferry" else "in-process", ferry["mean"],
                ferry["stddev"] or 0, peer, times[peer]["mean"], times[peer]["stddev"] or 0, ratio, median_ratio,
                "" if target is None else "≤ %.1f" % target, met))
    # every run's time: on this VM one slow run can move a mean by 10-20%
    runs = "; ".join("%s %s" % (name, " ".join("%.2f" % t for t in r["times"])) for name, r in times.items())
    print("|  | runs (s) | %s |  |  |  |  |  |  |" % runs)
for name, title in [("memory.txt", "in-process (whole CLI process)"),
                    ("memory-server.txt", "through the local server (its VmHWM)")]:
    path = os.path.join(results, name)
    if os.path.exists(path):
        kib, seconds = open(path).read().split()[:2]
        mib = int(kib) / 1024
        print("| upload of 1,000,000 tiny files: peak RSS | %s | %.0f MiB in %s s |  |  |  |  | ≤ 256 MiB | %s |" % (
            title, mib, seconds, "yes" if mib <= 256 else "**no**"))
