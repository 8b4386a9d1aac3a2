#!/usr/bin/env python3
"""Summarise the test reports of each CI run and refuse skips that hide missing evidence.

Usage: summary.py DIR...   where each DIR is named after its run (jdk17, jdk25, ...) and
holds the Surefire/Failsafe TEST-*.xml reports that run left.

Prints each failed test with the first line of its message, then one line per run,
'LABEL: N passed, N failed, N skipped', then
'total: N passed, N failed, N skipped' (the CI system parses these lines). Exits non-zero
when a run failed a test, ran none, or skipped one for any reason but needing a newer JDK
than it ran on: the reason tests give with testsupport.Jdk, 'needs JDK N+'.
"""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NEEDS_JDK = re.compile(r"needs JDK (\d+)\+")


def skip_allowed(reason, jdk):
    match = NEEDS_JDK.search(reason)
    return match is not None and jdk < int(match.group(1))


def summarise(run):
    passed = failed = 0
    skipped = []
    refused = []
    failures = []
    for report in sorted(run.glob("**/TEST-*.xml")):
        suite = ET.parse(report).getroot()
        jdk = int(suite.find("properties/property[@name='java.specification.version']").get("value"))
        for case in suite.iter("testcase"):
            test = f"{case.get('classname')}.{case.get('name')}"
            problem = case.find("failure")
            if problem is None:
                problem = case.find("error")
            if problem is not None:
                failed += 1
                message = (problem.get("message") or problem.get("type") or "").strip()
                failures.append(f"{test}: {message.splitlines()[0] if message else '(no message)'}")
            elif (skip := case.find("skipped")) is not None:
                reason = " ".join(filter(None, [skip.get("message"), skip.text])).strip()
                skipped.append(test)
                if not skip_allowed(reason, jdk):
                    refused.append(f"{test} on JDK {jdk}: {reason.splitlines()[0] if reason else '(no reason)'}")
            else:
                passed += 1
    return passed, failed, len(skipped), refused, failures


def main(runs):
    totals = [0, 0, 0]
    lines = []
    ok = True
    for run in map(Path, runs):
        passed, failed, skipped, refused, failures = summarise(run)
        for failure in failures:
            print(f"{run.name}: failed: {failure}")
        for refusal in refused:
            print(f"{run.name}: skipped without an allowed reason: {refusal}")
        if passed + failed == 0:
            print(f"{run.name}: no test ran")
        ok = ok and failed == 0 and not refused and passed > 0
        totals = [t + n for t, n in zip(totals, (passed, failed, skipped))]
        lines.append(f"{run.name}: {passed} passed, {failed} failed, {skipped} skipped")
    lines.append("total: {} passed, {} failed, {} skipped".format(*totals))
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
