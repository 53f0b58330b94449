#!/usr/bin/env python3
"""A token-classification dataset for the preflight benchmark: N small text files of whitespace-separated
tokens under texts/, and labels.csv naming each with one IOB2 tag per token. Deterministic.
    python3 bench/gen-tokens.py DIR [N]"""
import os, random, sys

root = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rnd = random.Random(100)
names = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Edsger"]
places = ["Oslo", "Berlin", "Lima", "Nairobi", "Kyoto", "Quebec"]
orgs = ["Acme", "Initech", "Globex", "Umbrella"]
words = "the a ferry crossed river on monday with many people and cars while it rained over".split()
texts = os.path.join(root, "texts")
os.makedirs(texts, exist_ok=True)
with open(os.path.join(root, "labels.csv"), "w") as csv:
    csv.write("filename,tags\n")
    for i in range(n):
        tokens, tags = [], []
        for _ in range(rnd.randint(5, 15)):
            kind = rnd.random()
            if kind < 0.1:
                tokens += [rnd.choice(names), rnd.choice(names) + "son"]; tags += ["B-PER", "I-PER"]
            elif kind < 0.18:
                tokens.append(rnd.choice(places)); tags.append("B-LOC")
            elif kind < 0.22:
                tokens.append(rnd.choice(orgs)); tags.append("B-ORG")
            else:
                tokens.append(rnd.choice(words)); tags.append("O")
        name = "s%06d.txt" % i
        with open(os.path.join(texts, name), "w") as f:
            f.write(" ".join(tokens) + "\n")
        csv.write("%s,%s\n" % (name, " ".join(tags)))
print("wrote %d texts and labels.csv to %s" % (n, root))
