#!/usr/bin/env python3
"""The tables of docs/benchmarks.md, from one results directory written by bench/run.sh.

Usage:
  bench/tables.py RESULTS_DIR                          print every table
  bench/tables.py RESULTS_DIR --doc docs/benchmarks.md rewrite the doc's generated blocks
  bench/tables.py RESULTS_DIR --doc docs/benchmarks.md --only reactor
                                                       rewrite only the named blocks (comma-separated),
                                                       from a run of only their benchmarks

A generated block sits between <!-- tables:NAME --> and <!-- /tables:NAME --> in the doc;
everything outside the blocks is hand-written and left alone. Each block names the raw files
its numbers come from. Every number is read from, or computed here from, a file of
RESULTS_DIR:
  <jdk>-<Benchmark>.json                   JMH's JSON (score, error, -prof gc's gc.alloc.rate.norm)
  <jdk>-<Benchmark>-setup-threads<n>.json  sizes and series a benchmark's setup measured
  <jdk>-SamplerCost.json                   CPU clock readings of the sampler cost harness
  <jdk>-SamplerCost-safepoints.txt         its -Xlog:safepoint log
  <jdk>-Churn.txt                          what the churn tests printed
  <jdk>-Fleet.txt                          what FleetIT printed
  <jdk>-VirtualDumpCost.json               the JSON thread dump harness's clock readings
  <jdk>-VirtualDumpCost-safepoints.txt     its -Xlog:safepoint log
  run.json, steps.tsv                      the run: commit, machine, arguments, load average
Python 3 standard library only.
"""

import datetime
import glob
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Budgets, as docs/benchmarks.md states them.
CENSUS_MIN_SPEEDUP = {17: 20.0, 25: 10.0}
EXECUTOR_MAX_ADDED_NS = 100.0
EXPORT_BAND = 1.5


def printed(directory, step):
    """jdk -> what the tests of a step printed (<jdk>-<step>.txt)."""
    return {os.path.basename(path).split("-", 1)[0]: open(path).read()
            for path in sorted(glob.glob(os.path.join(directory, f"jdk*-{step}.txt")))}


class Results:
    def __init__(self, directory):
        self.directory = directory
        self.shown = os.path.relpath(os.path.abspath(directory), ROOT)
        if self.shown.startswith(".."):
            self.shown = os.path.abspath(directory)
        self.jmh = {}  # (jdk, benchmark class) -> [result]
        self.setup = {}  # (jdk, benchmark class, threads) -> dict
        self.cost = {}  # jdk -> SamplerCost json
        self.previous = {}  # jdk -> SamplerCostPrevious json: the previous sampler, same harness
        self.vdump = {}  # jdk -> VirtualDumpCost json
        for path in sorted(glob.glob(os.path.join(directory, "jdk*.json"))):
            name = os.path.basename(path)[:-5]
            jdk, rest = name.split("-", 1)
            if rest == "SamplerCost":
                self.cost[jdk] = json.load(open(path))
            elif rest == "SamplerCostPrevious":
                self.previous[jdk] = json.load(open(path))
            elif rest == "VirtualDumpCost":
                self.vdump[jdk] = json.load(open(path))
            elif "-setup-threads" in rest:
                bench, threads = rest.split("-setup-threads")
                self.setup[(jdk, bench, int(threads))] = json.load(open(path))
            else:
                self.jmh[(jdk, rest)] = json.load(open(path))
        self.churn = printed(directory, "Churn")
        self.fleet = printed(directory, "Fleet")
        run = os.path.join(directory, "run.json")
        self.run = json.load(open(run)) if os.path.exists(run) else None
        steps = os.path.join(directory, "steps.tsv")
        self.steps = []
        if os.path.exists(steps):
            lines = open(steps).read().splitlines()
            header = lines[0].split("\t")
            self.steps = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line]
        self.jdks = sorted({k[0] for k in self.jmh} | set(self.cost) | set(self.churn) | set(self.vdump)
                           | set(self.fleet),
                           key=jdk_number)

    def file(self, name):
        return "`" + os.path.join(self.shown, name) + "`"

    def sources(self, names):
        present = [n for n in names if os.path.exists(os.path.join(self.directory, n))]
        return "Source: " + (", ".join(self.file(n) for n in present) if present else "no files") + "."

    def results(self, bench):
        """(jdk, method, params) -> JMH result, for one benchmark class."""
        rows = {}
        for jdk in self.jdks:
            for r in self.jmh.get((jdk, bench), []):
                method = r["benchmark"].rsplit(".", 1)[1]
                params = tuple(sorted((r.get("params") or {}).items()))
                rows[(jdk, method, params)] = r
        return rows


def elapsed(started, ended):
    parse = lambda t: datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
    return (parse(ended) - parse(started)).total_seconds()


def jdk_number(jdk):
    digits = re.sub(r"\D", "", jdk)
    return int(digits) if digits else 0


# ---- numbers -------------------------------------------------------------------------

class Score:
    """A JMH score with its 99.9% error (NaN when JMH could not give one)."""

    def __init__(self, result, metric=None):
        m = result["primaryMetric"] if metric is None else metric
        self.score = float(m["score"])
        error = m.get("scoreError")
        self.error = float(error) if error not in (None, "NaN") else float("nan")
        self.unit = m["scoreUnit"]

    @property
    def known(self):
        return not math.isnan(self.error)

    @property
    def low(self):
        return self.score - self.error if self.known else self.score

    @property
    def high(self):
        return self.score + self.error if self.known else self.score

    def __str__(self):
        unit = {"us/op": "µs", "ns/op": "ns", "ms/op": "ms", "B/op": "B"}.get(self.unit, self.unit)
        if self.known:
            return f"{number(self.score)} ± {number(self.error)} {unit}"
        return f"{number(self.score)} {unit} (no error estimate)"


def number(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def alloc(result):
    for name, metric in (result.get("secondaryMetrics") or {}).items():
        if name.endswith("gc.alloc.rate.norm"):
            return Score(result, metric)
    return None


def bytes_text(score):
    if score is None:
        return "n/a"
    value = score.score
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:,.1f} MiB"
    if value >= 1024:
        return f"{value / 1024:,.1f} KiB"
    return f"{value:,.0f} B"


def ratio(a, b):
    """a / b with the range that the two scores' errors allow."""
    value = a.score / b.score
    if not (a.known and b.known):
        return value, value, value, False
    low = a.low / b.high if b.high > 0 else float("nan")
    high = a.high / b.low if b.low > 0 else float("inf")
    return value, low, high, True


def times(value):
    return f"{value:,.1f}x" if abs(value) >= 10 else f"{value:,.2f}x"


def verdict(low, high, ok, known=True):
    """Met when the whole range satisfies the budget, not met when none of it does."""
    if not known:
        return ("met" if ok(low) else "**not met**") + " (no error estimate)"
    if ok(low) and ok(high):
        return "met"
    if not ok(low) and not ok(high):
        return "**not met**"
    return "within error of the budget"


def percent(value):
    return "n/a" if value is None else f"{value * 100:.3f}%"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def params_text(params):
    return ", ".join(f"{k}={int(v):,}" if str(v).isdigit() else f"{k}={v}" for k, v in params) or "-"


# ---- blocks --------------------------------------------------------------------------

def block_run(res):
    out = [f"Results directory: `{res.shown}`."]
    run = res.run
    if run is None:
        out.append("")
        out.append("> **No run.json**: these results do not say how they were produced. Do not publish them.")
        return "\n".join(out)
    commit = (run.get("commit") or "unknown")[:12]
    dirty = " with uncommitted changes" if run.get("uncommittedChanges") else ""
    host = run.get("host", {})
    out.append(f"Started {run.get('started')} from commit `{commit}`{dirty}, on {host.get('cpus')} CPUs "
               f"({host.get('cpuModel')}), Linux {host.get('kernel')}.")
    versions = []
    for jdk in res.jdks:
        results = [r for (j, _), rs in res.jmh.items() if j == jdk for r in rs]
        if results:
            r = results[0]
            versions.append(f"{jdk}: {r.get('vmName')} {r.get('vmVersion')} (JDK {r.get('jdkVersion')})")
        elif jdk in res.cost or jdk in res.vdump:
            c = res.cost.get(jdk) or res.vdump[jdk]
            versions.append(f"{jdk}: {c.get('vmName')} {c.get('vmVersion')}")
    if versions:
        out.append("JDKs: " + "; ".join(versions) + ".")
    settings = sorted({(r.get("forks"), r.get("warmupIterations"), r.get("warmupTime"),
                        r.get("measurementIterations"), r.get("measurementTime"))
                       for rs in res.jmh.values() for r in rs}, key=str)
    if settings:
        out.append("JMH settings: " + "; ".join(
            f"{f} fork(s), {wi} × {wt} warm-up, {mi} × {mt} measurement" for f, wi, wt, mi, mt in settings)
            + ", `-prof gc`; ± is JMH's 99.9% confidence half-width.")
    for jdk in res.jdks:
        if jdk in res.cost:
            c = res.cost[jdk]
            st = c["settings"]
            out.append(f"SamplerCost ({jdk}): threads {', '.join(f'{t:,}' for t in st['threads'])}, interval "
                       f"{st['interval'].replace('PT', '').lower()}, budget {st['cpuBudget']:.0%}, "
                       f"{st['periods']} periods per window, anchor {st['anchorNanos'] / 1e9:g} s, warm-up "
                       f"{st.get('warmupNanos', 0) / 1e9:g} s, settle {st['settleNanos'] / 1e9:g} s; JVM "
                       f"arguments `{' '.join(a for a in c.get('inputArguments', []) if not a.startswith('-Xlog'))}`.")
    if res.steps:
        took = []
        for jdk in res.jdks:
            times_ = [(s["started"], s["ended"]) for s in res.steps if s.get("jdk") == jdk]
            if times_:
                seconds = sum(elapsed(a, b) for a, b in times_)
                took.append(f"{jdk} {seconds / 60:.1f} min")
        if took:
            out.append("Time per JDK, build excluded: " + ", ".join(took) + ".")
        loads = [float(s[k].split()[0]) for s in res.steps for k in ("loadavg_before", "loadavg_after")
                 if s.get(k, "-").split()[0] not in ("-", "")]
        if loads:
            out.append(f"1-minute load average before and after each step: at most {max(loads):.2f} "
                       f"on {host.get('cpus')} CPUs ({res.file('steps.tsv')}).")
    if not run.get("standard", False):
        out.append("")
        out.append("> **Not the standard run, not for publication**: `bench/run.sh` was given "
                   f"JMH options `{' '.join(run.get('jmhArgs') or []) or '-'}` and SamplerCost arguments "
                   f"`{' '.join(run.get('samplerCostArgs') or []) or '-'}`. Run `bench/run.sh` without "
                   "arguments and regenerate.")
    if not res.shown.startswith("bench/results/"):
        out.append("")
        out.append(f"> These results are in `{res.shown}`, outside `bench/results/`, and are not committed.")
    out.append("")
    out.append(res.sources(["run.json", "steps.tsv"]))
    return "\n".join(out)


def block_census(res):
    rows, verdicts = [], []
    found = res.results("CensusBenchmark")
    for params in sorted({k[2] for k in found}, key=params_text):
        for jdk in res.jdks:
            a, b = found.get((jdk, "micrometerJvmThreadMetrics", params)), found.get((jdk, "threadLensCensus", params))
            if not (a and b):
                continue
            sa, sb = Score(a), Score(b)
            value, low, high, known = ratio(sa, sb)
            budget = CENSUS_MIN_SPEEDUP.get(jdk_number(jdk))
            met = verdict(low, high, lambda r: r >= budget, known) if budget else "no budget"
            rows.append([params_text(params), jdk, sa, sb, times(value), f">= {budget:g}x" if budget else "-",
                         met, bytes_text(alloc(a)), bytes_text(alloc(b))])
            verdicts.append(("CensusBenchmark", params_text(params), jdk, f"Micrometer / ThreadLens >= {budget:g}x"
                             if budget else "-", times(value), met))
    text = table(["params", "JDK", "Micrometer `JvmThreadMetrics`", "ThreadLens census", "Micrometer / ThreadLens",
                  "budget", "verdict", "allocated per op, Micrometer", "allocated per op, ThreadLens"], rows)
    return text + "\n\n" + res.sources([f"{j}-CensusBenchmark.json" for j in res.jdks]), verdicts


def block_scrape(res):
    rows, verdicts = [], []
    found = res.results("ScrapeBenchmark")
    for params in sorted({k[2] for k in found}, key=params_text):
        threads = int(dict(params).get("threads", 0))
        for jdk in res.jdks:
            a, b = found.get((jdk, "plainBootScrape", params)), found.get((jdk, "threadLensScrape", params))
            if not (a and b):
                continue
            sa, sb = Score(a), Score(b)
            value, low, high, known = ratio(sa, sb)
            met = verdict(low, high, lambda r: r >= 1.0, known)
            sizes = res.setup.get((jdk, "ScrapeBenchmark", threads), {})
            plain, lens = sizes.get("plainBootScrape", {}), sizes.get("threadLensScrape", {})
            pool = (lens.get("seriesByPrefix") or {}).get("jvm_threads_pool_states")
            rows.append([params_text(params), jdk, sa, sb, times(value), met,
                         f"{plain.get('series', 'n/a')} / {number(plain.get('bytes'))} B",
                         f"{lens.get('series', 'n/a')} ({pool if pool is not None else 'n/a'} pool states) / "
                         f"{number(lens.get('bytes'))} B"])
            verdicts.append(("ScrapeBenchmark", params_text(params), jdk, "plain Boot / ThreadLens >= 1x",
                             times(value), met))
    text = table(["params", "JDK", "plain Boot", "ThreadLens", "plain Boot / ThreadLens", "verdict (>= 1x)",
                  "plain Boot: series / bytes", "ThreadLens: series / bytes"], rows)
    names = [f"{j}-ScrapeBenchmark.json" for j in res.jdks]
    names += [os.path.basename(p) for p in sorted(glob.glob(os.path.join(res.directory, "jdk*-ScrapeBenchmark-setup-*.json")))]
    return text + "\n\n" + res.sources(names), verdicts


EXECUTOR_METHODS = ["bareExecutor", "micrometerTimedExecutorService", "micrometerTimedExecutorServiceSameBuckets",
                    "threadLensMonitoredExecutor", "threadLensMonitoredExecutorExemplarsNoSpan",
                    "threadLensExecutorServiceBean", "threadLensMonitoredExecutorBothSinks"]


def added(score, bare):
    """score - bare, with the sum of both errors (a conservative range)."""
    value = score.score - bare.score
    if score.known and bare.known:
        return value, value - score.error - bare.error, value + score.error + bare.error, True
    return value, value, value, False



def against(result, baseline):
    """A result's score, what it adds to a baseline's (none for the baseline itself), its allocation."""
    s = Score(result)
    if baseline:
        value, low, high, known = added(s, Score(baseline))
        extra = f"{number(value)} ns" + (f" ({number(low)} to {number(high)})" if known else "")
    else:
        extra = "-"
    return [s, extra, bytes_text(alloc(result))]

def block_executor(res):
    found = res.results("ExecutorOverheadBenchmark")
    jdks = [j for j in res.jdks if any(k[0] == j for k in found)]
    methods = [m for m in EXECUTOR_METHODS if any(k[1] == m for k in found)]
    methods += sorted({k[1] for k in found} - set(methods))
    rows = []
    for method in methods:
        row = [f"`{method}`"]
        for jdk in jdks:
            r, bare = found.get((jdk, method, ())), found.get((jdk, "bareExecutor", ()))
            if r is None:
                row += ["-", "-", "-"]
                continue
            row += against(r, bare if method != "bareExecutor" else None)
        rows.append(row)
    header = ["method"]
    for jdk in jdks:
        header += [f"{jdk} per task", f"{jdk} added to `bareExecutor`", f"{jdk} allocated"]
    text = table(header, rows)
    return text + "\n\n" + res.sources([f"{j}-ExecutorOverheadBenchmark.json" for j in jdks])


REACTOR_VARIANTS = ["reactor", "threadLensDecorator", "scheduleHookRunTime"]


def block_reactor(res):
    found = res.results("ReactorSchedulerBenchmark")
    jdks = [j for j in res.jdks if any(k[0] == j for k in found)]
    rows = []
    for method in ["scheduleAndRun", "scheduleInCaller"]:
        for variant in REACTOR_VARIANTS:
            key = (("variant", variant),)
            row = [f"`{method}`", f"`{variant}`"]
            for jdk in jdks:
                r, bare = found.get((jdk, method, key)), found.get((jdk, method, (("variant", "reactor"),)))
                if r is None:
                    row += ["-", "-", "-"]
                    continue
                row += against(r, bare if variant != "reactor" else None)
            rows.append(row)
    header = ["method", "variant"]
    for jdk in jdks:
        header += [f"{jdk} per task", f"{jdk} added to `reactor`", f"{jdk} allocated"]
    text = table(header, rows)
    origin = ""
    if res.run is not None:
        loads = [float(st[k].split()[0]) for st in res.steps if "ReactorSchedulerBenchmark" in st.get("step", "")
                 for k in ("loadavg_before", "loadavg_after") if st.get(k, "-").split()[0] not in ("-", "")]
        dirty = " with uncommitted changes" if res.run.get("uncommittedChanges") else ""
        origin = (f"From the run started {res.run.get('started')} at commit `{(res.run.get('commit') or '?')[:12]}`"
                  + dirty
                  + (f", 1-minute load average at most {max(loads):.2f} on {res.run.get('host', {}).get('cpus')} "
                     "CPUs around these steps" if loads else "") + ".\n\n")
    return origin + text + "\n\n" + res.sources(
        [f"{j}-ReactorSchedulerBenchmark.json" for j in jdks] + ["run.json", "steps.tsv"])


def block_clock(res):
    found = res.results("ClockAndTimerBenchmark")
    jdks = [j for j in res.jdks if any(k[0] == j for k in found)]
    rows = []
    for method in ["nanoTime", "micrometerTimerRecord", "micrometerTimerRecordSameBuckets"]:
        row = [f"`{method}`"]
        for jdk in jdks:
            r = found.get((jdk, method, ()))
            row.append(Score(r) if r else "-")
        rows.append(row)
    row = ["floor of a wrapper: 3 × `nanoTime` + 2 × `micrometerTimerRecordSameBuckets`"]
    for jdk in jdks:
        n, t = found.get((jdk, "nanoTime", ())), found.get((jdk, "micrometerTimerRecordSameBuckets", ()))
        row.append(f"{number(3 * Score(n).score + 2 * Score(t).score)} ns" if n and t else "-")
    rows.append(row)
    text = table(["method"] + jdks, rows)
    return text + "\n\n" + res.sources([f"{j}-ClockAndTimerBenchmark.json" for j in jdks])


def executor_verdicts(res):
    found = res.results("ExecutorOverheadBenchmark")
    verdicts = []
    for jdk in res.jdks:
        bare = found.get((jdk, "bareExecutor", ()))
        lens = found.get((jdk, "threadLensMonitoredExecutor", ()))
        same = found.get((jdk, "micrometerTimedExecutorServiceSameBuckets", ()))
        if not (bare and lens):
            continue
        value, low, high, known = added(Score(lens), Score(bare))
        verdicts.append(("ExecutorOverheadBenchmark", "threadLensMonitoredExecutor", jdk,
                         f"<= {EXECUTOR_MAX_ADDED_NS:g} ns added per task", f"{number(value)} ns",
                         verdict(low, high, lambda v: v <= EXECUTOR_MAX_ADDED_NS, known)))
        if same:
            a, b = Score(lens), Score(same)
            diff = a.score - b.score
            known = a.known and b.known
            low, high = (diff - a.error - b.error, diff + a.error + b.error) if known else (diff, diff)
            verdicts.append(("ExecutorOverheadBenchmark", "threadLensMonitoredExecutor", jdk,
                             "below Micrometer's with the same buckets",
                             f"{number(diff)} ns against it", verdict(low, high, lambda v: v < 0, known)))
    return verdicts


def block_naming(res):
    """Per method and JDK, each name length against the 16-character one; budget <= 2x."""
    found = res.results("NamingBenchmark")
    rows, verdicts = [], []
    for method in ("poolOf", "scrapeRenamed"):
        for jdk in res.jdks:
            base = found.get((jdk, method, (("nameLength", "16"),)))
            if not base:
                continue
            for length in ("16", "1000", "100000"):
                r = found.get((jdk, method, (("nameLength", length),)))
                if not r:
                    continue
                value, low, high, known = ratio(Score(r), Score(base))
                met = verdict(low, high, lambda x: x <= 2.0, known) if length != "16" else "anchor"
                rows.append([f"`{method}`", f"{int(length):,}", jdk, Score(r), times(value), met])
                if length != "16":
                    verdicts.append(("NamingBenchmark", f"{method}, {int(length):,} characters", jdk,
                                     "<= 2x the 16-character name", times(value), met))
    text = table(["method", "name length", "JDK", "time", "/ 16 characters", "verdict (<= 2x)"], rows)
    return text + "\n\n" + res.sources([f"{j}-NamingBenchmark.json" for j in res.jdks]), verdicts


SERIES_LINE = re.compile(r"Series budget, (\d+) pools churned \(max-pools (\d+), max-classes (\d+), grace period "
                         r"(\d+) ms\):\s+scrape lines: bound (\d+), steady (\d+), max (\d+), after (\d+) "
                         r"\(without the test's own threads: (\d+), (\d+)\)")
HEAP_LINE = re.compile(r"JFR stream, ([\d,]+) short-lived threads, heap after GC: ([-+][\d,]+) bytes once started, "
                       r"([-+][\d,]+) bytes more after the threads; without chunk boundaries ([-+][\d,]+) bytes more")


def megabytes(text):
    return f"{int(text.replace(',', '')) / 1e6:+.1f} MB"


def block_churn(res):
    """The churn tests' own figures: scrape lines under pool churn, the JFR stream's heap."""
    series, heap = [], []
    for jdk in res.jdks:
        text = res.churn.get(jdk, "")
        m = SERIES_LINE.search(text)
        if m:
            pools, max_pools, max_classes, grace, bound, steady, peak, after, steady_own, after_own = m.groups()
            back = int(peak) <= int(bound) and steady_own == after_own
            series.append([jdk, f"{int(pools):,}", f"{max_pools} / {max_classes} / {grace} ms", bound, steady, peak,
                           after, f"{steady_own} / {after_own}", "yes" if back else "**no**"])
        m = HEAP_LINE.search(text)
        if m:
            threads, started, bounded, unbounded = m.groups()
            heap.append([jdk, threads, megabytes(started), megabytes(bounded), megabytes(unbounded)])
    text = table(["JDK", "pools churned", "max-pools / max-classes / grace", "bound", "steady", "max",
                  "after", "steady / after, churn's families", "within bound, back to steady"], series)
    text += "\n\n" + table(["JDK", "threads", "stream started", "after the threads",
                            "after the threads, no chunk boundaries"], heap)
    return text + "\n\n" + res.sources([f"{j}-Churn.txt" for j in res.jdks] + ["run.json", "steps.tsv"])


FLEET_LINE = re.compile(r"Fleet series, (\d+) instances of one job, default caps:\s+"
                        r"per instance, scraped: \[([\d, ]+)\] \(capped families: \[([\d, ]+)\], at most (\d+) "
                        r"by the caps; executor families: \[([\d, ]+)\]\)\s+"
                        r"recording rules: global (\d+), central of the clusters (\d+), central of the agent (\d+)"
                        r"\s+ALERTS: global (\d+)")


def block_fleet(res):
    """FleetIT's figures: the series each instance has, and those each fleet view keeps."""
    rows = []
    for jdk in res.jdks:
        m = FLEET_LINE.search(res.fleet.get(jdk, ""))
        if m:
            instances, scraped, capped, bound, executors, global_rules, central_rules, agent_rules, alerts = m.groups()
            rows.append([jdk, instances, scraped.replace(", ", " / "), capped.replace(", ", " / "), bound,
                         executors.replace(", ", " / "), global_rules, central_rules, agent_rules, alerts])
    text = table(["JDK", "instances", "series per instance", "capped families", "caps' bound",
                  "executor families", "recording rules, global (federation)", "central (remote write)",
                  "central (agent)", "ALERTS, global"], rows)
    return text + "\n\n" + res.sources([f"{j}-Fleet.txt" for j in res.jdks] + ["run.json", "steps.tsv"])


def block_sampler_pass(res):
    found = res.results("SamplerBenchmark")
    rows = []
    for params in sorted({k[2] for k in found}, key=lambda p: int(dict(p).get("threads", 0))):
        threads = int(dict(params)["threads"])
        for jdk in res.jdks:
            r = found.get((jdk, "samplerPass", params))
            if r:
                s = Score(r)
                per_thread = s.score * {"us/op": 1000, "ms/op": 1e6, "ns/op": 1}.get(s.unit, float("nan")) / threads
                rows.append([params_text(params), jdk, s, f"{number(per_thread)} ns", bytes_text(alloc(r))])
    text = table(["params", "JDK", "one pass (elapsed, calling thread)", "per thread", "allocated per pass"], rows)
    return text + "\n\n" + res.sources([f"{j}-SamplerBenchmark.json" for j in res.jdks])


# ---- the sampler cost harness --------------------------------------------------------

SAFEPOINT = re.compile(r"\[(\d+)ns\].*Safepoint \"([^\"]+)\".*?Reaching safepoint: (\d+) ns.*?"
                       r"At safepoint: (\d+) ns.*?Total: (\d+) ns")
GC_OPERATION = re.compile(r"G1|GC|Collect|^Gen|Parallel|Shenandoah|^Z")


def safepoints(res, cost):
    name = cost.get("safepointLog")
    path = os.path.join(res.directory, name) if name else None
    if not path or not os.path.exists(path):
        return None
    events = []
    for line in open(path):
        m = SAFEPOINT.search(line)
        if m:
            events.append({"at": int(m.group(1)), "name": m.group(2), "reaching": int(m.group(3)),
                           "atSafepoint": int(m.group(4)), "total": int(m.group(5))})
    check = cost.get("logCheck")
    if check and not any(e["name"] == check["operation"] and check["fromNanos"] <= e["at"] <= check["toNanos"]
                         for e in events):
        raise SystemExit(f"{path}: no {check['operation']} between {check['fromNanos']} and {check['toNanos']} ns: "
                         "the log's 'tn' decoration and the harness's System.nanoTime() do not match")
    return events


def window_events(events, readings):
    start, end = readings[0]["nanoTime"], readings[-1]["nanoTime"]
    return [e for e in events if start < e["at"] <= end]


def group(thread):
    if thread == "VM Thread":
        return "vm"
    if thread.startswith("threadlens-samp"):
        return "sampler"
    if thread.startswith("GC Thread") or thread.startswith("G1 "):
        return "gc"
    if "CompilerThre" in thread:
        return "jit"
    return "other"


def cpu_window(readings):
    """CPU shares of one core over a window: process clock, JVM thread clocks, per group."""
    first, last = readings[0], readings[-1]
    wall = last["nanoTime"] - first["nanoTime"]
    shares = {"wall": wall, "process": (last["processCpuNanos"] - first["processCpuNanos"]) / wall,
              "samplerThread": (last["samplerThreadCpuNanos"] - first["samplerThreadCpuNanos"]) / wall}
    if "taskCpuNanos" in last:
        groups = {"vm": 0, "sampler": 0, "gc": 0, "jit": 0, "other": 0}
        for thread, nanos in last["taskCpuNanos"].items():
            groups[group(thread)] += nanos - first["taskCpuNanos"].get(thread, 0)
        shares["threads"] = sum(groups.values()) / wall
        for key, nanos in groups.items():
            shares[key] = nanos / wall
    return shares


def cost_runs(res):
    """(jdk, design, harness json, run): this commit's sampler, then the previous one's."""
    for jdk in res.jdks:
        for design, costs in (("this", res.cost), ("previous", res.previous)):
            if jdk in costs:
                commit = ((res.run or {}).get("previousSampler") or "?")[:7]
                label = design if design == "this" else f"previous (`{commit}`)"
                for run in costs[jdk]["runs"]:
                    yield jdk, label, costs[jdk], run


def cost_files(res):
    return ([f"{j}-SamplerCost.json" for j in res.jdks if j in res.cost]
            + [f"{j}-SamplerCostPrevious.json" for j in res.jdks if j in res.previous])


def block_sampler_cpu(res):
    rows, verdicts = [], []
    for jdk, design, cost, run in cost_runs(res):
        settings = cost["settings"]
        interval = settings["interval"].replace("PT", "").lower()
        anchor, sampler = cpu_window(run["anchor"]["readings"]), cpu_window(run["sampler"]["readings"])
        passes = len(run["sampler"]["passEndNanos"])
        budget = settings["cpuBudget"]
        delta = {k: sampler[k] - anchor[k] for k in sampler if k != "wall" and k in anchor}
        measured = delta.get("threads", delta["process"])
        met = "met" if measured <= budget else "**not met**"
        failed = {k: v for k, v in (run.get("collectorFailures") or {}).items() if v}
        if failed:
            met = f"**invalid: failures {failed}**"
        period = sampler["wall"] / passes / 1e9

        def change(key):
            if key not in anchor:
                return "n/a"
            return f"{percent(anchor[key])} → {percent(sampler[key])} (**{percent(delta[key])}**)"

        rows.append([f"{run['threads']:,}", jdk, design, interval,
                     f"{sampler['wall'] / 1e9:,.1f} s, {passes} passes, {period:,.1f} s apart",
                     change("threads"), change("process"),
                     *[percent(delta.get(k)) for k in ("vm", "sampler", "gc", "jit", "other")],
                     f"{number(measured * sampler['wall'] / passes / 1e6)} ms",
                     f"{number(sampler['samplerThread'] * sampler['wall'] / passes / 1e6)} ms",
                     f"<= {budget:.0%}: {met}"])
        if design == "this":
            verdicts.append(("SamplerCost", f"threads={run['threads']:,}, interval {interval}", jdk,
                             f"<= {budget:.0%} of one core", percent(measured), met))
    text = table(["threads", "JDK", "sampler", "interval", "window with sampler", "JVM threads: without → with (cost)",
                  "process: without → with (cost)", "cost: VM thread", "cost: sampler thread", "cost: GC",
                  "cost: JIT", "cost: other", "cost per pass", "sampler thread per pass", "budget"], rows)
    return text + "\n\n" + res.sources(cost_files(res)), verdicts


def pause_stats(events):
    if not events:
        return "0"
    totals = [e["total"] for e in events]
    return f"{len(events)} / {sum(totals) / 1e6:,.2f} ms / {max(totals) / 1e6:,.2f} ms"


def p99(values):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 99 // 100) - 1)]


def block_sampler_pauses(res):
    """Safepoints per window, and the sampler's stops against its pause budget (its first pass,
    which reads every stack once, and the window's passes)."""
    rows, verdicts = [], []
    names = []
    for jdk, design, cost, run in cost_runs(res):
        events = safepoints(res, cost)
        if events is None:
            continue
        if cost.get("safepointLog") not in names:
            names.append(cost["safepointLog"])
        budget_ms = parse_millis(cost.get("settings", {}).get("maxPause", "2ms"))
        for kind in ("anchor", "first pass", "sampler"):
            window = run["anchor" if kind == "anchor" else "sampler"]
            if kind == "first pass":
                start, end = window["startedAtNanos"], window["firstPassEndNanos"]
                inside = [e for e in events if start < e["at"] <= end]
            else:
                readings = window["readings"]
                start, end = readings[0]["nanoTime"], readings[-1]["nanoTime"]
                inside = window_events(events, readings)
            wall = end - start
            dumps = [e for e in inside if e["name"] == "ThreadDump"]
            gc = [e for e in inside if e["name"] != "ThreadDump" and GC_OPERATION.search(e["name"])]
            other = [e for e in inside if e["name"] != "ThreadDump" and not GC_OPERATION.search(e["name"])]
            other_names = sorted({e["name"] for e in other})
            label = {"anchor": "without sampler", "first pass": "sampler's first pass",
                     "sampler": "with sampler"}[kind]
            rows.append([f"{run['threads']:,}", jdk, design, label, f"{wall / 1e9:,.1f} s", pause_stats(dumps),
                         f"{p99([e['total'] for e in dumps]) / 1e6:,.2f} ms" if dumps else "-",
                         pause_stats(other) + (f" ({', '.join(other_names)})" if other_names else ""),
                         pause_stats(gc), percent(sum(e["total"] for e in inside) / wall)])
            if kind != "anchor" and design == "this":
                longest = max((e["total"] for e in dumps), default=0) / 1e6
                verdicts.append(("SamplerCost", f"threads={run['threads']:,}, {label}: longest stop", jdk,
                                 f"<= {budget_ms:g} ms", f"{longest:,.2f} ms",
                                 "met" if longest <= budget_ms else "**not met**"))
    text = table(["threads", "JDK", "sampler", "window", "length", "`ThreadDump`: count / total / max",
                  "`ThreadDump`: p99", "other non-GC operations: count / total / max",
                  "GC operations: count / total / max", "time in safepoints"], rows)
    return text + "\n\n" + res.sources(names + cost_files(res)), verdicts


def parse_millis(text):
    """A duration as Spring writes it in the harness's settings ('2ms', 'PT0.002S')."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)ms", text) or None
    if m:
        return float(m.group(1))
    m = re.fullmatch(r"PT(\d+(?:\.\d+)?)S", text)
    return float(m.group(1)) * 1000 if m else 2.0


# ---- the JSON thread dump ----------------------------------------------------------

VDUMP_OPERATIONS = {"platformGrouped": "grouped dump of the platform threads (anchor)",
                    "jdkJsonDump": "JDK's JSON dump, written and read",
                    "virtualGrouped": "`?virtual=true`: grouped platform threads and the JDK's dump, read and grouped"}


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def block_vdump(res):
    """Per JDK, virtual thread count and operation: medians of the clock readings, the pauses
    in the operations' windows, the heap after a full collection before and after them."""
    rows, names, skipped = [], [], []
    for jdk in res.jdks:
        cost = res.vdump.get(jdk)
        if cost is None:
            continue
        names.append(f"{jdk}-VirtualDumpCost.json")
        if "skipped" in cost:
            skipped.append(f"{jdk}: {cost['skipped']}, nothing measured")
            continue
        events = safepoints(res, cost) or []
        if cost.get("safepointLog"):
            names.append(cost["safepointLog"])
        for run in cost["runs"]:
            for operation, readings in run["operations"].items():
                inside = [e for e in events for r in readings if r["startNanos"] < e["at"] <= r["endNanos"]]
                size = readings[0]["dumpBytes"]
                rows.append([f"{run['virtualThreads']:,}", jdk, VDUMP_OPERATIONS.get(operation, operation),
                             str(len(readings)),
                             f"{median([r['endNanos'] - r['startNanos'] for r in readings]) / 1e6:,.1f} ms",
                             f"{median([r['threadCpuNanos'] for r in readings]) / 1e6:,.1f} ms",
                             f"{median([r['processCpuNanos'] for r in readings]) / 1e6:,.0f} ms",
                             f"{median([r['allocatedBytes'] for r in readings]) / 1024 / 1024:,.2f} MiB",
                             f"{size / 1024 / 1024:,.1f} MiB" if size else "-",
                             pause_stats([e for e in inside if not GC_OPERATION.search(e["name"])]),
                             pause_stats([e for e in inside if GC_OPERATION.search(e["name"])]),
                             f"{run['heapAfterGcBefore'] / 1024 / 1024:,.1f} / "
                             f"{run['heapAfterGcAfter'] / 1024 / 1024:,.1f} MiB"])
    text = table(["virtual threads", "JDK", "operation", "runs", "elapsed (median)", "calling thread CPU (median)",
                  "process CPU (median)", "allocated by calling thread (median)", "dump file",
                  "non-GC safepoints in its runs: count / total / max",
                  "GC safepoints in its runs: count / total / max", "heap after full GC, before / after"], rows)
    origin = ""
    if res.run is not None:
        dirty = " with uncommitted changes" if res.run.get("uncommittedChanges") else ""
        origin = (f"From the run started {res.run.get('started')} at commit `{(res.run.get('commit') or '?')[:12]}`"
                  + dirty + ".\n\n")
    notes = "".join(f"\n\n{s}." for s in skipped)
    return origin + text + notes + "\n\n" + res.sources(names + ["run.json", "steps.tsv"])


# ---- export paths --------------------------------------------------------------------

EXPORT_PAIRS = [("micrometerCollect", "otelCollect"),
                ("micrometerCollectCensusReused", "otelCollectCensusReused"),
                ("micrometerScrape", "otelPrometheusScrape")]


def block_export(res):
    rows, verdicts = [], []
    found = res.results("ExportPathBenchmark")
    for params in sorted({k[2] for k in found}, key=params_text):
        for jdk in res.jdks:
            for micrometer, otel in EXPORT_PAIRS:
                a, b = found.get((jdk, micrometer, params)), found.get((jdk, otel, params))
                if not (a and b):
                    continue
                sa, sb = Score(a), Score(b)
                value, low, high, known = ratio(sb, sa)
                met = verdict(low, high, lambda r: 1 / EXPORT_BAND <= r <= EXPORT_BAND, known)
                rows.append([f"`{micrometer}` / `{otel}`", jdk, sa, sb, times(value), met,
                             bytes_text(alloc(a)), bytes_text(alloc(b))])
                verdicts.append(("ExportPathBenchmark", f"{micrometer} / {otel}", jdk,
                                 f"OTel / Micrometer within {EXPORT_BAND:g}x either way", times(value), met))
    text = table(["pair", "JDK", "Micrometer", "OTel", "OTel / Micrometer", f"within {EXPORT_BAND:g}x",
                  "allocated per op, Micrometer", "allocated per op, OTel"], rows)
    return text + "\n\n" + res.sources([f"{j}-ExportPathBenchmark.json" for j in res.jdks]), verdicts


def block_export_sizes(res):
    rows, names = [], []
    for (jdk, bench, threads), sizes in sorted(res.setup.items(), key=lambda i: (jdk_number(i[0][0]), i[0][2])):
        if bench != "ExportPathBenchmark":
            continue
        names.append(f"{jdk}-{bench}-setup-threads{threads}.json")
        m, o = sizes.get("micrometerScrape", {}), sizes.get("otelPrometheusScrape", {})
        target = (o.get("seriesByPrefix") or {}).get("target_info")
        more = (o["bytes"] / m["bytes"] - 1) if m.get("bytes") and o.get("bytes") else None
        rows.append([f"{threads:,}", jdk, sizes.get("micrometerCollectDataPoints", "n/a"),
                     sizes.get("otelCollectPoints", "n/a"),
                     f"{m.get('series', 'n/a')} / {number(m.get('bytes'))} B",
                     f"{o.get('series', 'n/a')} (target_info: {target if target is not None else 'n/a'}) / "
                     f"{number(o.get('bytes'))} B",
                     "n/a" if more is None else f"{more:+.0%}"])
    text = table(["threads", "JDK", "Micrometer collection: data points", "OTel collection: points",
                  "`micrometerScrape` text: series / bytes", "`otelPrometheusScrape` text: series / bytes",
                  "OTel text bytes against Micrometer's"], rows)
    return text + "\n\n" + res.sources(names)


def block_budgets(verdicts, res):
    rows = [[f"`{b}`", what, jdk, budget, measured, met] for b, what, jdk, budget, measured, met in verdicts]
    text = table(["benchmark", "case", "JDK", "budget", "measured", "verdict"], rows)
    return text + "\n\nFrom the tables below; each names its raw files in `" + res.shown + "`."


def provisional(res):
    """Why these results are not for publication, or None."""
    if res.run is None:
        return "results without run.json"
    if not res.run.get("standard", False):
        return "a shortened trial run"
    if not res.shown.startswith("bench/results/"):
        return "results outside bench/results/, not committed"
    return None


def blocks(res):
    census, v1 = block_census(res)
    scrape, v2 = block_scrape(res)
    cpu, v3 = block_sampler_cpu(res)
    export, v4 = block_export(res)
    naming, v5 = block_naming(res)
    pauses, v6 = block_sampler_pauses(res)
    verdicts = v1 + v2 + v5 + executor_verdicts(res) + v3 + v6 + v4
    generated = {
        "run": block_run(res),
        "budgets": block_budgets(verdicts, res),
        "census": census,
        "scrape": scrape,
        "naming": naming,
        "executor": block_executor(res),
        "reactor": block_reactor(res),
        "clock": block_clock(res),
        "sampler-pass": block_sampler_pass(res),
        "sampler-cpu": cpu,
        "sampler-pauses": pauses,
        "export": export,
        "export-sizes": block_export_sizes(res),
        "churn": block_churn(res),
        "vdump": block_vdump(res),
        "fleet": block_fleet(res),
    }
    why = provisional(res)
    if why:
        for name in generated:
            if name != "run":
                generated[name] = f"> Not for publication: {why} (see The run).\n\n" + generated[name]
    return generated


def rewrite(doc, generated):
    text = open(doc).read()
    missing = []
    for name, body in generated.items():
        pattern = re.compile(r"(<!-- tables:" + re.escape(name) + r" -->\n).*?(<!-- /tables:" + re.escape(name)
                             + r" -->)", re.S)
        if not pattern.search(text):
            missing.append(name)
            continue
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    if missing:
        raise SystemExit(f"{doc} lacks the blocks {', '.join(missing)} "
                         "(<!-- tables:NAME --> ... <!-- /tables:NAME -->)")
    open(doc, "w").write(text)


def main(argv):
    only = None
    if len(argv) == 6 and argv[4] == "--only":
        only = argv[5].split(",")
        argv = argv[:4]
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--doc"):
        raise SystemExit(__doc__)
    res = Results(argv[1])
    if not res.jdks:
        raise SystemExit(f"No results in {argv[1]}")
    generated = blocks(res)
    if only is not None:
        unknown = set(only) - set(generated)
        if unknown:
            raise SystemExit(f"No blocks {', '.join(sorted(unknown))}")
        generated = {name: body for name, body in generated.items() if name in only}
    if len(argv) == 4:
        rewrite(argv[3], generated)
    else:
        for name, body in generated.items():
            print(f"<!-- tables:{name} -->\n{body}\n")


if __name__ == "__main__":
    main(sys.argv)
