#!/usr/bin/env python3
"""Validates a SARIF log against the SARIF 2.1.0 schema and prints a summary.

  validate_sarif.py LOG SCHEMA
"""
import json
import sys

import jsonschema


def main():
    log = json.load(open(sys.argv[1]))
    schema = json.load(open(sys.argv[2]))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors:
        print("invalid: %s: %s" % ("/".join(map(str, e.path)), e.message))
    if errors:
        sys.exit(1)
    for run in log["runs"]:
        for r in run["results"]:
            loc = r["locations"][0]["physicalLocation"]
            print("result %s %s:%d related=%d fixes=%d" % (
                r["ruleId"], loc["artifactLocation"]["uri"],
                loc["region"]["startLine"], len(r.get("relatedLocations", [])),
                len(r.get("fixes", []))))
    print("valid")


if __name__ == "__main__":
    main()
