#!/usr/bin/env python3
"""Turns one JMH JSON result file of the jcontract benchmarks into the issue-8 summary.

Theory of operation: every line of the summary pairs a variant with its baseline, both taken from
the same JMH run (scripts/bench.sh runs them in one `java -jar benchmarks.jar` invocation), and
compares them against the issue's goal: a time ratio (lower is better), a throughput ratio (higher
is better), an allocation difference per op, an added time, or linearity in N. Writes
benchmarks/results/latest.json (or the --out file), prints the table, optionally rewrites the
table between the markers of BENCHMARKS.md, and lists the missed lines (id, JMH regex, params) in
--missed for the script to profile. Only the standard library: no new dependency.

usage: report.py RAW_JMH_JSON [--out FILE] [--markdown BENCHMARKS.md] [--missed FILE]
                 [--mode full|smoke] [--command STRING]
"""
import argparse
import datetime
import json
import os
import platform
import re
import sys

P = "io.jcontract.bench."
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
JAR = "java -jar benchmarks/target/benchmarks.jar"


def sel(name, **params):
    return (P + name, tuple(sorted(params.items())))


# id, title, kind, variant, baseline, goal, JMH regex that reruns both, params for the rerun
LINES = [
    ("1a", "start+join 1 virtual thread, explicit API vs plain", "time",
     sel("StartJoin.api"), sel("StartJoin.plain"), 1.10, r"StartJoin\.(plain|api)$", {}),
    ("1b", "start+join, allocation added by the explicit API", "alloc",
     sel("StartJoin.api"), sel("StartJoin.plain"), 64, r"StartJoin\.(plain|api)$", {}),
    ("1c", "start+join 1 virtual thread, agent vs plain", "time",
     sel("agent.StartJoinAgent.agent"), sel("StartJoin.plain"), 1.15, r"(StartJoin\.plain|StartJoinAgent\.agent)$", {}),
    ("1d", "start+join, allocation added by the agent", "alloc",
     sel("agent.StartJoinAgent.agent"), sel("StartJoin.plain"), 64, r"(StartJoin\.plain|StartJoinAgent\.agent)$", {}),
    ("2a", "Skynet 1M virtual threads, explicit API vs plain", "time",
     sel("Skynet.api"), sel("Skynet.plain"), 1.25, r"Skynet\.(plain|api)$", {}),
    ("2b", "Skynet 1M virtual threads, agent vs plain", "time",
     sel("agent.SkynetAgent.agent"), sel("Skynet.plain"), 1.25, r"(Skynet\.plain|SkynetAgent\.agent)$", {}),
    ("3a", "ThreadPoolExecutor submit+completion, agent vs none", "time",
     sel("agent.ExecutorSubmitAgent.agent", pool="tpe"), sel("ExecutorSubmit.plain", pool="tpe"), 1.20,
     r"(ExecutorSubmit\.plain|ExecutorSubmitAgent\.agent)$", {"pool": "tpe"}),
    ("3b", "ForkJoinPool submit+completion, agent vs none", "time",
     sel("agent.ExecutorSubmitAgent.agent", pool="fjp"), sel("ExecutorSubmit.plain", pool="fjp"), 1.20,
     r"(ExecutorSubmit\.plain|ExecutorSubmitAgent\.agent)$", {"pool": "fjp"}),
    ("3c", "ThreadPoolExecutor submit+completion, ContractExecutors.wrap vs none", "time",
     sel("ExecutorSubmit.api", pool="tpe"), sel("ExecutorSubmit.plain", pool="tpe"), 1.20,
     r"ExecutorSubmit\.(plain|api)$", {"pool": "tpe"}),
    ("3d", "ForkJoinPool submit+completion, ContractExecutors.wrap vs none", "time",
     sel("ExecutorSubmit.api", pool="fjp"), sel("ExecutorSubmit.plain", pool="fjp"), 1.20,
     r"ExecutorSubmit\.(plain|api)$", {"pool": "fjp"}),
    ("4a", "event delivery 1P/1C, contract queue vs LinkedBlockingQueue", "throughput",
     sel("EventDelivery.delivery", queue="contract"), sel("EventDelivery.delivery", queue="lbq"), 2.0,
     r"EventDelivery\.delivery$", {"queue": "contract,lbq"}),
    ("4b", "event delivery 1P/1C, contract queue vs ConcurrentLinkedQueue", "throughput",
     sel("EventDelivery.delivery", queue="contract"), sel("EventDelivery.delivery", queue="clq"), 2.0,
     r"EventDelivery\.delivery$", {"queue": "contract,clq"}),
    ("4c", "event delivery, allocation per event beyond the event itself", "event-alloc",
     sel("EventDelivery.delivery", queue="contract"), sel("EventDelivery.event"), 0,
     r"EventDelivery\.(delivery|event)$", {"queue": "contract"}),
] + [
    ("5" + k, "kill N=%s parked members to EMPTY vs StructuredTaskScope cancel" % f"{n:,}", "time",
     sel("KillLatency.kill", n=str(n)), sel("KillLatency.scope", n=str(n)), 1.0,
     r"KillLatency\.(kill|scope)$", {"n": str(n)})
    for k, n in (("a", 1000), ("b", 10000), ("c", 100000))
] + [
    ("5d", "kill latency linear in N: (t[100k]/t[10k])/10", "linear",
     sel("KillLatency.kill", n="100000"), sel("KillLatency.kill", n="10000"), 1.5,
     r"KillLatency\.kill$", {"n": "10000,100000"}),
    ("6", "agent start-up: trivial main, added whole-process time", "added",
     sel("AgentStartup.start", mode="agent"), sel("AgentStartup.start", mode="plain"), 300,
     r"AgentStartup\.start$", {}),
    ("7", "fork+exit, 2 threads into one contract vs one contract each", "info",
     sel("ForkExit.forkExit", contracts="shared"), sel("ForkExit.forkExit", contracts="perThread"), None,
     r"ForkExit\.forkExit$", {}),
]

GOAL_TEXT = {
    "time": "≤ {:g}×", "throughput": "≥ {:g}×", "alloc": "≤ +{:g} B/op", "event-alloc": "≤ +{:g} B/event",
    "linear": "≤ {:g}", "added": "< {:g} ms", "info": "—",
}


def load(path):
    with open(path) as f:
        runs = json.load(f)
    table = {}
    for r in runs:
        params = tuple(sorted((r.get("params") or {}).items()))
        table[(r["benchmark"], params)] = r
    return runs, table


def metric(run, name):
    m = (run.get("secondaryMetrics") or {}).get(name)
    return None if m is None else m.get("score")


def figure(run, kind):
    """The figure compared: the consumer's rate for the event group, else the primary score."""
    if run is None:
        return None, None, None
    if run["benchmark"].endswith("EventDelivery.delivery"):
        m = run["secondaryMetrics"]["consume"]
        return m["score"], m.get("scoreError"), m["scoreUnit"]
    pm = run["primaryMetric"]
    return pm["score"], pm.get("scoreError"), pm["scoreUnit"]


def alloc_per_op(run):
    """Bytes per op; for the event group, per delivered event (group ops / consumer ops)."""
    if run is None:
        return None
    norm = metric(run, "gc.alloc.rate.norm")
    if norm is None:
        return None
    if run["benchmark"].endswith("EventDelivery.delivery"):
        total, consumed = run["primaryMetric"]["score"], run["secondaryMetrics"]["consume"]["score"]
        return norm * total / consumed if consumed else None
    return norm


def num(x):
    """A float, or None for a missing figure or JMH's "NaN" (the error of a single iteration)."""
    if x is None:
        return None
    x = float(x)
    return None if x != x else x


def evaluate(line, table):
    lid, title, kind, var, base, goal, regex, params = line
    v, b = table.get(var), table.get(base)
    vf, verr, unit = figure(v, kind)
    bf, berr, _ = figure(b, kind)
    va, ba = num(alloc_per_op(v)), num(alloc_per_op(b))
    out = {
        "id": lid, "benchmark": title, "kind": kind,
        "variant": var[0].replace(P, "") + fmt_params(var[1]),
        "baseline": base[0].replace(P, "") + fmt_params(base[1]),
        "figure": num(vf), "error": num(verr), "unit": unit,
        "baseline_figure": num(bf), "baseline_error": num(berr),
        "alloc_bytes_per_op": va, "baseline_alloc_bytes_per_op": ba,
        "goal": GOAL_TEXT[kind].format(goal) if goal is not None else "—",
        "ratio": None, "met": None,
        "reproduce": reproduce(regex, params),
    }
    if v is None or b is None:
        out["met"] = None
        out["note"] = "not run"
        return out
    if kind in ("time", "throughput", "info"):
        out["ratio"] = vf / bf if bf else None
    if kind == "time":
        out["met"] = out["ratio"] <= goal
    elif kind == "throughput":
        out["met"] = out["ratio"] >= goal
    elif kind == "alloc":
        if va is None or ba is None:
            out["note"] = "no allocation figures (run with -prof gc)"
        else:
            out["figure"], out["baseline_figure"], out["unit"] = va, ba, "B/op"
            out["ratio"] = va / ba if ba else None
            out["delta"] = va - ba
            out["met"] = out["delta"] <= goal
    elif kind == "event-alloc":
        event = num(metric(b, "gc.alloc.rate.norm"))
        if va is None or event is None:
            out["note"] = "no allocation figures (run with -prof gc)"
        else:
            out["figure"], out["baseline_figure"], out["unit"] = va, event, "B/event"
            out["baseline_alloc_bytes_per_op"] = event
            out["delta"] = va - event
            out["met"] = out["delta"] <= goal + 0.5        # JMH's normalisation leaves fractions of a byte
    elif kind == "linear":
        out["ratio"] = (vf / bf) / 10.0 if bf else None
        out["met"] = out["ratio"] is not None and out["ratio"] <= goal
    elif kind == "added":
        out["delta"] = vf - bf
        out["ratio"] = vf / bf if bf else None
        out["met"] = out["delta"] < goal
    return out


def fmt_params(params):
    return "" if not params else "[" + ",".join(f"{k}={v}" for k, v in params) + "]"


def reproduce(regex, params):
    cmd = f"{JAR} '{regex}'"
    for k, v in params.items():
        cmd += f" -p {k}={v}"
    return cmd + " -f 2 -prof gc"


def machine():
    cpu = None
    try:
        with open("/proc/cpuinfo") as f:
            for l in f:
                if l.startswith("model name"):
                    cpu = l.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as f:
            for l in f:
                if l.startswith("MemTotal"):
                    mem = f"{int(l.split()[1]) // 1024 // 1024} GiB"
                    break
    except OSError:
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory": mem, "os": f"{platform.system()} {platform.release()}",
            "loadavg_at_report": [round(x, 2) for x in load] if load else None}


def jdk(runs):
    if not runs:
        return {}
    r = runs[0]
    return {"version": r.get("jdkVersion"), "vm": r.get("vmName"), "vm_version": r.get("vmVersion"),
            "jvm": r.get("jvm"), "jmh": r.get("jmhVersion")}


def g(x, unit=None):
    if x is None:
        return "—"
    if abs(x) >= 100:
        s = f"{x:,.0f}"
    elif abs(x) >= 10:
        s = f"{x:.1f}"
    else:
        s = f"{x:.3g}"
    return s + (f" {unit}" if unit else "")


def markdown(summary):
    m, j = summary["machine"], summary["jdk"]
    rows = [
        f"Run: {summary['date']}, mode {summary['mode']}; JDK {j.get('version')} ({j.get('vm')} {j.get('vm_version')}), "
        f"JMH {j.get('jmh')}; {m.get('cpus')} CPUs ({m.get('cpu')}), {m.get('memory')}, {m.get('os')}.",
        f"Command: `{summary['command']}`.",
        "",
        "| # | benchmark | figure | baseline | ratio | goal | met | alloc B/op (variant / baseline) | reproduce |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for l in summary["lines"]:
        unit = l.get("unit")
        if l["kind"] in ("alloc", "event-alloc", "added") and l.get("delta") is not None:
            ratio = f"{l['delta']:+.0f} {'ms' if l['kind'] == 'added' else unit}"
        else:
            ratio = "—" if l["ratio"] is None else f"{l['ratio']:.2f}×" if l["kind"] != "linear" else f"{l['ratio']:.2f}"
        met = {True: "met", False: "**missed**", None: l.get("note", "n/a")}[l["met"]]
        if l["kind"] == "info":
            met = "report only"
        fig = g(l["figure"], unit) + (f" ± {g(l['error'])}" if l.get("error") else "")
        base = g(l["baseline_figure"], unit)
        alloc = f"{g(l['alloc_bytes_per_op'])} / {g(l['baseline_alloc_bytes_per_op'])}"
        rows.append(f"| {l['id']} | {l['benchmark']}<br>`{l['variant']}` vs `{l['baseline']}` | {fig} | {base} | "
                    f"{ratio} | {l['goal']} | {met} | {alloc} | `{l['reproduce']}` |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw")
    ap.add_argument("--out")
    ap.add_argument("--markdown")
    ap.add_argument("--missed")
    ap.add_argument("--mode", default="full")
    ap.add_argument("--command", default="scripts/bench.sh")
    a = ap.parse_args()
    runs, table = load(a.raw)
    lines = [evaluate(l, table) for l in LINES]
    summary = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": a.mode, "command": a.command, "raw": os.path.relpath(a.raw),
        "jdk": jdk(runs), "machine": machine(), "lines": lines,
    }
    if a.out:
        with open(a.out, "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    md = markdown(summary)
    print(md)
    if a.markdown:
        with open(a.markdown) as f:
            doc = f.read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"report.py: {a.markdown} has no {BEGIN} ... {END} markers")
        head, rest = doc.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        with open(a.markdown, "w") as f:
            f.write(head + BEGIN + "\n" + md + "\n" + END + tail)
    if a.missed:
        byid = {l[0]: l for l in LINES}
        seen = set()
        with open(a.missed, "w") as f:
            for l in lines:
                if l["met"] is False:
                    var = byid[l["id"]][3]
                    if var in seen:          # one profile per variant (1a and 1b share one, ...)
                        continue
                    seen.add(var)
                    # profile the variant only: its exact name and its own params
                    regex = re.escape(var[0]) + "$"
                    ps = " ".join(f"-p {k}={v}" for k, v in var[1])
                    f.write(f"{l['id']}\t{regex}\t{ps}\n")
    missed = [l["id"] for l in lines if l["met"] is False]
    print(f"\n{sum(1 for l in lines if l['met'])} met, {len(missed)} missed"
          + (f" ({', '.join(missed)})" if missed else "")
          + f", {sum(1 for l in lines if l['met'] is None)} without a verdict")


if __name__ == "__main__":
    main()
