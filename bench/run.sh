#!/usr/bin/env bash
# Builds the benchmarks and runs them on JDK 17 (the default java) and, where present, on
# Temurin 25, then prints the README's benchmark table. Results: bench/results/.
# Usage: bench/run.sh [JMH options, e.g. a benchmark regex]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B install -DskipTests
mkdir -p bench/results

run() {
  local label=$1 java=$2
  shift 2
  echo "== $label: $("$java" -version 2>&1 | head -n 1)" >&2
  "$java" -jar bench/target/benchmarks.jar -rf json -rff "bench/results/$label.json" "$@" >&2
}

run jdk17 java "$@"
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
if [ -x "$JDK25" ]; then
  run jdk25 "$JDK25" "$@"
fi

python3 - bench/results/*.json <<'PY'
import json, os, sys
rows = {}
for path in sys.argv[1:]:
    jdk = os.path.basename(path)[:-5]
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 2)
        params = ",".join(f"{k}={v}" for k, v in r.get("params", {}).items()) or "-"
        m = r["primaryMetric"]
        rows[(name[-2], params, jdk, name[-1])] = (m["score"], m["scoreError"], m["scoreUnit"])
pairs = {"CensusBenchmark": ("micrometerJvmThreadMetrics", "threadLensCensus"),
         "ScrapeBenchmark": ("plainBootScrape", "threadLensScrape")}
fmt = lambda v: f"{v[0]:,.1f} ± {v[1]:,.1f} {v[2]}"
print("| benchmark | params | JDK | anchor (Micrometer / plain Boot) | ThreadLens | anchor / ThreadLens |")
print("|---|---|---|---|---|---|")
for (bench, params, jdk) in sorted({k[:3] for k in rows if k[0] in pairs}):
    anchor, ours = pairs[bench]
    a, b = rows.get((bench, params, jdk, anchor)), rows.get((bench, params, jdk, ours))
    if a and b:
        print(f"| {bench} | {params} | {jdk} | {fmt(a)} | {fmt(b)} | {a[0] / b[0]:,.1f}x |")
print()
print("| ExecutorOverheadBenchmark | JDK | per task |")
print("|---|---|---|")
for (bench, params, jdk, method) in sorted(k for k in rows if k[0] == "ExecutorOverheadBenchmark"):
    print(f"| {method} | {jdk} | {fmt(rows[(bench, params, jdk, method)])} |")
print()
print("| SamplerBenchmark | JDK | one pass | per thread | CPU share at defaults (10 s, budget 1%) |")
print("|---|---|---|---|---|")
for (bench, params, jdk, method) in sorted(k for k in rows if k[0] == "SamplerBenchmark"):
    score, error, unit = rows[(bench, params, jdk, method)]
    threads = int(params.split("=")[1])
    pass_s = score / 1e6
    share = pass_s / max(10.0, pass_s / 0.01)
    print(f"| {params} | {jdk} | {fmt((score, error, unit))} | {score * 1000 / threads:,.0f} ns | {share:.3%} |")
print()
export_pairs = [("micrometerCollect", "otelCollect"),
                ("micrometerCollectCensusReused", "otelCollectCensusReused"),
                ("micrometerScrape", "otelPrometheusScrape")]
print("| ExportPathBenchmark | JDK | Micrometer | OTel | OTel / Micrometer |")
print("|---|---|---|---|---|")
for jdk in sorted({k[2] for k in rows if k[0] == "ExportPathBenchmark"}):
    found = {k[3]: rows[k] for k in rows if k[0] == "ExportPathBenchmark" and k[2] == jdk}
    for micrometer, otel in export_pairs:
        a, b = found.get(micrometer), found.get(otel)
        if a and b:
            print(f"| {micrometer} / {otel} | {jdk} | {fmt(a)} | {fmt(b)} | {b[0] / a[0]:,.2f}x |")
PY
