#!/usr/bin/env python3
"""Summarise meson's testlog.json: tests per suite, and one closing line
'N passed, N failed' that CI reads."""
import json
import sys


def load(path):
    results = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                results.append(json.loads(line))
    return results


def main(argv):
    if argv[1] == "--total":
        passed = failed = skipped = 0
        for path in argv[2:]:
            for r in load(path):
                if r["result"] in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif r["result"] == "SKIP":
                    skipped += 1
                else:
                    failed += 1
        print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
        return 0
    path, name = argv[1], argv[2]
    suites = {}
    for r in load(path):
        for s in r.get("suite", []):
            s = s.split(":")[-1]
            ok, bad = suites.get(s, (0, 0))
            if r["result"] in ("OK", "EXPECTEDFAIL"):
                ok += 1
            else:
                bad += 1
            suites[s] = (ok, bad)
    parts = [f"{s} {ok} ok/{bad} not ok" for s, (ok, bad) in sorted(suites.items())]
    print(f"{name}: " + ", ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
