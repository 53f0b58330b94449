#!/usr/bin/env python3
"""Generates benchmark data under bench/data (never committed).

  tree20k/   20,000 files of 16-80 KiB of random bytes in 100 directories (about 1 GB)
  big/       one 2 GiB file of random bytes
  tiny1m/    1,000,000 files of 1-100 bytes in 1,000 directories (for the memory bound)
  rows1m/    rows.csv: 1,000,000 rows of id, count (integers), score (a float), name (a short string),
             label (one of five): a tabular_classification table (issue 27)

Content is seeded, so every run of the benchmark sees the same bytes.
"""
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def tree20k():
    target = os.path.join(ROOT, "tree20k")
    if os.path.isdir(target) and sum(len(f) for _, _, f in os.walk(target)) == 20000:
        return
    print("generating tree20k", file=sys.stderr)
    rnd = random.Random(20000)
    for i in range(20000):
        d = os.path.join(target, "dir%03d" % (i % 100))
        os.makedirs(d, exist_ok=True)
        size = rnd.randint(16 * 1024, 80 * 1024)
        with open(os.path.join(d, "file%05d.bin" % i), "wb") as f:
            f.write(rnd.randbytes(size))


def big():
    target = os.path.join(ROOT, "big", "big.bin")
    if os.path.exists(target) and os.path.getsize(target) == 2 << 30:
        return
    print("generating big", file=sys.stderr)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    rnd = random.Random(2)
    with open(target, "wb") as f:
        for _ in range(2048):
            f.write(rnd.randbytes(1 << 20))


def tiny1m():
    target = os.path.join(ROOT, "tiny1m")
    marker = os.path.join(ROOT, ".tiny1m-done")
    if os.path.exists(marker):
        return
    print("generating tiny1m", file=sys.stderr)
    rnd = random.Random(1000000)
    for i in range(1000000):
        d = os.path.join(target, "d%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "t%06d" % i), "wb") as f:
            f.write(rnd.randbytes(rnd.randint(1, 100)))
    open(marker, "w").close()


def rows1m():
    target = os.path.join(ROOT, "rows1m", "rows.csv")
    if os.path.exists(target):
        return
    print("generating rows1m", file=sys.stderr)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    rnd = random.Random(27)
    labels = ["cat", "dog", "bird", "fish", "horse"]
    syllables = ["ka", "lo", "mi", "ne", "ro", "ta", "vu", "zi"]
    with open(target + ".tmp", "w") as f:
        f.write("id,count,score,name,label\n")
        for i in range(1000000):
            name = "".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4)))
            f.write("%d,%d,%.4f,%s,%s\n" % (i, rnd.randint(0, 100000), rnd.random() * 100, name, rnd.choice(labels)))
    os.rename(target + ".tmp", target)


if __name__ == "__main__":
    wanted = sys.argv[1:] or ["tree20k", "big"]
    for name in wanted:
        globals()[name]()
