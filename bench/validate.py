#!/usr/bin/python3
"""The peer of `ferry ingest validate FILE` in bench/ingest.sh: yaml.safe_load + jsonschema (Draft 7)."""
import json
import sys

import jsonschema
import yaml

schema = json.load(open(sys.argv[1]))
document = yaml.safe_load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
for e in errors:
    print("  %s: %s" % (".".join(str(p) for p in e.path) or "<root>", e.message))
print("%s: %s" % (sys.argv[2], "ok" if not errors else "%d problems" % len(errors)))
sys.exit(2 if errors else 0)
