#!/usr/bin/env bash
# Builds the benchmarks, runs every one of them on JDK 17 (the default java) and on Temurin 25
# where present, keeps the raw results in bench/results/<YYYY-MM-DD>/ (committed) and
# regenerates the tables of docs/benchmarks.md from them with bench/tables.py.
#
# Usage: bench/run.sh [JMH options]
#   JMH options go to every JMH benchmark, e.g. a short trial: -f 1 -wi 1 -i 1 -w 1s -r 1s.
#   With any JMH option or SAMPLER_COST_ARGS the run is marked as not the standard one in
#   run.json, and the tables say so.
# Environment:
#   RESULTS_DIR        where the raw results go (default bench/results/<UTC date>); it must
#                      not hold results yet
#   BENCHMARKS         which to run, space-separated (default: all, see ALL below)
#   SAMPLER_COST_ARGS  extra arguments to the SamplerCost harness, e.g.
#                      "--threads=1000 --periods=1 threadlens.sampling.interval=2s"
#   PREVIOUS_SAMPLER   the commit whose sampler SamplerCostPrevious measures (default 420f70c,
#                      the last whose sampler read every stack in one ThreadDump)
#   JDK25              the second JDK's java (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   SKIP_BUILD=1       use bench/target/benchmarks.jar as it is
#   UPDATE_DOC=0       only print the tables, leave docs/benchmarks.md alone
#
# Files per JDK (label jdk<feature version>, e.g. jdk17):
#   <label>-<Benchmark>.json                   JMH's JSON (-rf json), with -prof gc metrics
#   <label>-<Benchmark>.txt                    JMH's console output
#   <label>-<Benchmark>-setup-threads<n>.json  what a benchmark's setup measured (sizes, series)
#   <label>-SamplerCost.json                   the sampler cost harness's readings
#   <label>-SamplerCost-safepoints.txt         its -Xlog:safepoint log
#   <label>-SamplerCostPrevious.json           the same harness with the previous sampler
#   <label>-SamplerCostPrevious-safepoints.txt   (PREVIOUS_SAMPLER's commit, 10,000 and 30,000 threads)
#   <label>-VirtualDumpCost.json               the JDK's JSON thread dump against the grouped one
#   <label>-VirtualDumpCost-safepoints.txt       (1,000 and 10,000 parked virtual threads; JDK 21+)
#   <label>-Churn.txt                          what the churn tests printed (series, heap)
#   <label>-Fleet.txt                          what FleetIT printed (series per instance and per
#                                                fleet view; needs prometheus on the PATH)
# and run.json (machine, commit, arguments) and steps.tsv (when each step ran, load average).
#
# Duration on the project's 2-core machine, both JDKs: about 20 minutes plus the build. Per JDK,
# 30 JMH forks of 3 x 1 s warm-up + 5 x 1 s measurement, 11 of which start and stop 10,000
# threads (10-20 s each there), ~7-8 min; SamplerCost, ~3 min; Churn, ~2 min; Fleet, ~2 min.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL="CensusBenchmark ScrapeBenchmark NamingBenchmark ExecutorOverheadBenchmark ReactorSchedulerBenchmark ClockAndTimerBenchmark SamplerBenchmark ExportPathBenchmark SamplerCost SamplerCostPrevious VirtualDumpCost Churn Fleet"
BENCHMARKS=${BENCHMARKS:-$ALL}
RESULTS_DIR=${RESULTS_DIR:-bench/results/$(date -u +%F)}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
SAMPLER_COST_ARGS=${SAMPLER_COST_ARGS:-}
PREVIOUS_SAMPLER=${PREVIOUS_SAMPLER:-420f70c}

if [ -d "$RESULTS_DIR" ] && [ -n "$(ls -A "$RESULTS_DIR")" ]; then
  echo "$RESULTS_DIR already holds results: remove it or set RESULTS_DIR" >&2
  exit 1
fi
for benchmark in $BENCHMARKS; do
  case " $ALL " in *" $benchmark "*) ;; *) echo "Unknown benchmark $benchmark (known: $ALL)" >&2; exit 1 ;; esac
done

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B install -DskipTests
fi
mkdir -p "$RESULTS_DIR"
JAR=bench/target/benchmarks.jar

# The previous sampler's harness, built from its commit in a worktree of its own.
PREVIOUS_JAR=
case " $BENCHMARKS " in *" SamplerCostPrevious "*)
  previous=$(mktemp -d)
  git worktree add -q --detach "$previous/src" "$PREVIOUS_SAMPLER"
  (cd "$previous/src" && mvn -q -B -pl bench -am package -DskipTests)
  PREVIOUS_JAR="$previous/benchmarks.jar"
  cp "$previous/src/bench/target/benchmarks.jar" "$PREVIOUS_JAR"
  git worktree remove --force "$previous/src"
  ;;
esac

loadavg() { cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "- - -"; }

python3 - "$RESULTS_DIR/run.json" "$BENCHMARKS" "$SAMPLER_COST_ARGS" "$PREVIOUS_SAMPLER" "$@" <<'PY'
import json, os, platform, subprocess, sys, time
out, benchmarks, sampler_args, previous, jmh_args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
def git(*args):
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()
    except Exception:
        return None
cpu = None
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except Exception:
    pass
json.dump({
    "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "commit": git("rev-parse", "HEAD"),
    "uncommittedChanges": bool(git("status", "--porcelain", "--untracked-files=no")),
    "host": {"cpus": os.cpu_count(), "cpuModel": cpu, "kernel": platform.release(), "machine": platform.machine()},
    "benchmarks": benchmarks.split(),
    "jmhArgs": jmh_args,
    "samplerCostArgs": sampler_args.split(),
    "previousSampler": git("rev-parse", previous),
    "standard": not jmh_args and not sampler_args.strip(),
}, open(out, "w"), indent=2)
PY
printf 'jdk\tstep\tstarted\tended\tloadavg_before\tloadavg_after\n' > "$RESULTS_DIR/steps.tsv"

step() {
  local label=$1 name=$2 started load
  shift 2
  started=$(date -u +%FT%TZ)
  load=$(loadavg)
  echo "== $label $name" >&2
  "$@"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$started" "$(date -u +%FT%TZ)" "$load" "$(loadavg)" \
    >> "$RESULTS_DIR/steps.tsv"
}

# A step's console output, kept (JMH's beside its JSON).
keep_output() {
  local txt=$1
  shift
  "$@" | tee "$txt" >&2
}

run() {
  local java=$1 version label java_home
  shift
  version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  label=jdk$version
  # The steps that run Maven run their tests on this JDK.
  java_home=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")
  echo "== $label: $("$java" -version 2>&1 | head -n 1)" >&2
  for benchmark in $BENCHMARKS; do
    if [ "$benchmark" = Churn ]; then
      # Two tests of the suite that churn for real and print what they measured: 10,000
      # short-lived pools against the series budget, 100,000 short-lived threads against the
      # JFR stream's heap. They also assert their bounds; a failure fails the run.
      step "$label" Churn keep_output "$RESULTS_DIR/$label-Churn.txt" env JAVA_HOME="$java_home" \
        mvn -q -B -pl autoconfigure surefire:test -Dtest='SeriesBudgetIntegrationTests,JfrStreamMemoryIsolatedTests'
    elif [ "$benchmark" = Fleet ]; then
      # Three demo JVMs and five Prometheus servers on the templates of config-templates/prometheus:
      # the series each instance has and those each fleet view keeps.
      step "$label" Fleet keep_output "$RESULTS_DIR/$label-Fleet.txt" \
        env JAVA_HOME="$java_home" THREADLENS_REQUIRE_TOOLS=true \
        mvn -q -B -pl demo-app failsafe:integration-test failsafe:verify -Dit.test=FleetIT
    elif [ "$benchmark" = SamplerCost ] || [ "$benchmark" = SamplerCostPrevious ]; then
      local log="$RESULTS_DIR/$label-$benchmark-safepoints.txt" jar=$JAR threads=()
      if [ "$benchmark" = SamplerCostPrevious ]; then
        jar=$PREVIOUS_JAR
        threads=(--threads=10000,30000)
      fi
      # A fixed heap, as a service has: after the harness's System.gc() a JVM that holds next to
      # nothing would otherwise shrink its heap, and the sampler's garbage would meet a young
      # generation of a few megabytes and far more collections than in an application.
      # shellcheck disable=SC2086 # SAMPLER_COST_ARGS is a list of arguments
      step "$label" "$benchmark" "$java" -Xss256k -Xms512m -Xmx512m \
        "-Xlog:safepoint=info:file=$log:tn,uptime:filecount=0" \
        -cp "$jar" io.github.threadlens.bench.SamplerCost "--out=$RESULTS_DIR/$label-$benchmark.json" \
        "--safepoint-log=$log" "${threads[@]}" $SAMPLER_COST_ARGS
    elif [ "$benchmark" = VirtualDumpCost ]; then
      local log="$RESULTS_DIR/$label-$benchmark-safepoints.txt"
      step "$label" "$benchmark" "$java" -Xms512m -Xmx512m \
        "-Xlog:safepoint=info:file=$log:tn,uptime:filecount=0" \
        -cp "$JAR" io.github.threadlens.bench.VirtualDumpCost "--out=$RESULTS_DIR/$label-$benchmark.json" \
        "--safepoint-log=$log"
    else
      # The forks inherit the environment: where the setups write what they measure.
      step "$label" "$benchmark" keep_output "$RESULTS_DIR/$label-$benchmark.txt" \
        env THREADLENS_BENCH_RESULTS="$RESULTS_DIR" THREADLENS_BENCH_LABEL="$label" \
        "$java" -jar "$JAR" "^io\.github\.threadlens\.bench\.$benchmark\." \
        -foe true -prof gc -rf json -rff "$RESULTS_DIR/$label-$benchmark.json" "$@"
    fi
  done
}

run java "$@"
if [ -x "$JDK25" ]; then
  run "$JDK25" "$@"
else
  echo "== No $JDK25: JDK 25 skipped" >&2
fi

if [ "${UPDATE_DOC:-1}" = 1 ]; then
  python3 bench/tables.py "$RESULTS_DIR" --doc docs/benchmarks.md
  echo "== docs/benchmarks.md regenerated from $RESULTS_DIR" >&2
else
  python3 bench/tables.py "$RESULTS_DIR"
fi
