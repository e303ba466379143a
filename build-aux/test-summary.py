#!/usr/bin/env python3
"""Summarise meson's testlog.json files.

  test-summary.py --count LOG LABEL   one line: LABEL: N passed, N failed
  test-summary.py --total LOG...      the closing line CI reads:
                                      tests: N passed, N failed, N skipped
A suite that ran no test counts as a failure: the test command installs
every server, so an empty suite means something is broken."""
import json
import sys


def count(path):
    passed = failed = skipped = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:
                failed += 1
    return passed, failed, skipped


def main(argv):
    if argv[1] == "--count":
        passed, failed, skipped = count(argv[2])
        note = "  <- ran no test" if passed + failed == 0 else ""
        print(f"{argv[3]}: {passed} passed, {failed} failed, {skipped} skipped{note}")
        return 0
    total = [0, 0, 0]
    empty = 0
    for path in argv[2:]:
        c = count(path)
        if c[0] + c[1] == 0:
            empty += 1
        total = [a + b for a, b in zip(total, c)]
    print(f"tests: {total[0]} passed, {total[1] + empty} failed, {total[2]} skipped")
    return 1 if empty or total[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
