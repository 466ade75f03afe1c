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
                 [--mode full|smoke] [--command STRING] [--note TEXT]

Besides the per-line table it prints issue 14's goals table (GOALS: measure, goal, the ratios
measured by its lines, met or not), written between the bench:goals markers of BENCHMARKS.md.
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
GOALS_BEGIN, GOALS_END = "<!-- bench:goals:begin -->", "<!-- bench:goals:end -->"
JAR = "java -jar benchmarks/target/benchmarks.jar"


def sel(name, **params):
    return (P + name, tuple(sorted(params.items())))


# id, title, kind, variant, baseline, goal, JMH regex that reruns both, params for the rerun
LINES = [
    ("1a", "start+join virtual threads from a virtual thread, explicit API vs plain", "time",
     sel("StartJoin.api"), sel("StartJoin.plain"), 1.10, r"StartJoin\.(plain|api)$", {}),
    ("1b", "start+join, allocation added by the explicit API", "alloc",
     sel("StartJoin.api"), sel("StartJoin.plain"), 64, r"StartJoin\.(plain|api)$", {}),
    ("1c", "start+join virtual threads from a virtual thread, agent vs plain", "time",
     sel("agent.StartJoinAgent.agent"), sel("StartJoin.plain"), 1.15, r"(StartJoin\.plain|StartJoinAgent\.agent)$", {}),
    ("1d", "start+join, allocation added by the agent", "alloc",
     sel("agent.StartJoinAgent.agent"), sel("StartJoin.plain"), 64, r"(StartJoin\.plain|StartJoinAgent\.agent)$", {}),
    ("2a", "Skynet 1M virtual threads, explicit API vs plain", "time",
     sel("Skynet.api"), sel("Skynet.plain"), 1.10, r"Skynet\.(plain|api)$", {}),
    ("2b", "Skynet 1M virtual threads, agent vs plain", "time",
     sel("agent.SkynetAgent.agent"), sel("Skynet.plain"), 1.10, r"(Skynet\.plain|SkynetAgent\.agent)$", {}),
    ("3a", "ThreadPoolExecutor submit+completion, agent vs none", "time",
     sel("agent.ExecutorSubmitAgent.agent", pool="tpe"), sel("ExecutorSubmit.plain", pool="tpe"), 1.10,
     r"(ExecutorSubmit\.plain|ExecutorSubmitAgent\.agent)$", {"pool": "tpe"}),
    ("3b", "ForkJoinPool submit+completion, agent vs none", "time",
     sel("agent.ExecutorSubmitAgent.agent", pool="fjp"), sel("ExecutorSubmit.plain", pool="fjp"), 1.25,
     r"(ExecutorSubmit\.plain|ExecutorSubmitAgent\.agent)$", {"pool": "fjp"}),
    ("3c", "ThreadPoolExecutor submit+completion, ContractExecutors.wrap vs none", "time",
     sel("ExecutorSubmit.api", pool="tpe"), sel("ExecutorSubmit.plain", pool="tpe"), 1.10,
     r"ExecutorSubmit\.(plain|api)$", {"pool": "tpe"}),
    ("3d", "ForkJoinPool submit+completion, ContractExecutors.wrap vs none", "time",
     sel("ExecutorSubmit.api", pool="fjp"), sel("ExecutorSubmit.plain", pool="fjp"), 1.25,
     r"ExecutorSubmit\.(plain|api)$", {"pool": "fjp"}),
    ("4a", "event delivery 1P/1C, contract queue vs LinkedBlockingQueue", "throughput",
     sel("EventDelivery.delivery", queue="contract"), sel("EventDelivery.delivery", queue="lbq"), 3.0,
     r"EventDelivery\.delivery$", {"queue": "contract,lbq"}),
    ("4b", "event delivery 1P/1C, contract queue vs ConcurrentLinkedQueue", "throughput",
     sel("EventDelivery.delivery", queue="contract"), sel("EventDelivery.delivery", queue="clq"), 2.0,
     r"EventDelivery\.delivery$", {"queue": "contract,clq"}),
    ("4c", "event delivery, allocation per event beyond the event itself", "event-alloc",
     sel("EventDelivery.delivery", queue="contract"), sel("EventDelivery.event"), 32,
     r"EventDelivery\.(delivery|event)$", {"queue": "contract"}),
    ("4d", "event delivery 2P/1C, contract queue vs LinkedBlockingQueue", "throughput",
     sel("EventDelivery.delivery2P", queue="contract"), sel("EventDelivery.delivery2P", queue="lbq"), 3.0,
     r"EventDelivery\.delivery2P$", {"queue": "contract,lbq"}),
    ("4e", "event delivery 2P/1C, contract queue vs ConcurrentLinkedQueue", "throughput",
     sel("EventDelivery.delivery2P", queue="contract"), sel("EventDelivery.delivery2P", queue="clq"), 2.0,
     r"EventDelivery\.delivery2P$", {"queue": "contract,clq"}),
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
    ("7", "fork+exit, 2 threads into one contract vs one contract each", "throughput",
     sel("ForkExit.forkExit", contracts="shared"), sel("ForkExit.forkExit", contracts="perThread"), 0.8,
     r"ForkExit\.forkExit$", {}),
]

# JMH groups whose figure is their consumer's rate (a secondary metric named after the method).
CONSUMERS = {P + "EventDelivery.delivery": "consume", P + "EventDelivery.delivery2P": "consume2P"}

# Issue 14's goals table: each measure, its goal as the issue states it, and the lines above that
# measure it (a measure is met when every one of its lines is met).
GOALS = [
    ("Skynet, every thread a member (API and agent)", "≤ 1.10× plain", ["2a", "2b"]),
    ("start+join virtual threads from a virtual thread (API and agent; re-shaped benchmark 1)",
     "≤ 1.10× / ≤ 1.15× plain", ["1a", "1c"]),
    ("ForkJoinPool submit+completion (agent and wrap)", "≤ 1.25×", ["3b", "3d"]),
    ("ThreadPoolExecutor submit+completion (agent and wrap)", "≤ 1.10×", ["3a", "3c"]),
    ("allocation per member (API and agent)", "≤ plain + 64 B", ["1b", "1d"]),
    ("event delivery 1P1C", "≥ 2× ConcurrentLinkedQueue and ≥ 3× LinkedBlockingQueue", ["4b", "4a"]),
    ("event delivery 2P1C (new line)", "≥ 2× ConcurrentLinkedQueue and ≥ 3× LinkedBlockingQueue", ["4e", "4d"]),
    ("bytes per event beyond the event itself", "≤ 32 B", ["4c"]),
    ("kill to EMPTY at 1k/10k/100k", "≤ 1.0× StructuredTaskScope", ["5a", "5b", "5c"]),
    ("fork+exit, 2 threads into one contract vs one contract each", "≥ 0.8×", ["7"]),
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
    consumer = CONSUMERS.get(run["benchmark"])
    if consumer:
        m = run["secondaryMetrics"][consumer]
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
    consumer = CONSUMERS.get(run["benchmark"])
    if consumer:
        total, consumed = run["primaryMetric"]["score"], run["secondaryMetrics"][consumer]["score"]
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


def shown_ratio(l):
    """The line's measured comparison as printed: a ratio, or a difference for allocation and added time."""
    if l["kind"] in ("alloc", "event-alloc", "added") and l.get("delta") is not None:
        return f"{l['delta']:+.0f} {'ms' if l['kind'] == 'added' else l.get('unit')}"
    if l["ratio"] is None:
        return "—"
    return f"{l['ratio']:.2f}×" if l["kind"] != "linear" else f"{l['ratio']:.2f}"


def goals(lines):
    """Issue 14's goals: each measure with its lines' measured ratios, met when all its lines are."""
    byid = {l["id"]: l for l in lines}
    out = []
    for measure, goal, ids in GOALS:
        ls = [byid[i] for i in ids]
        verdicts = [l["met"] for l in ls]
        met = None if any(v is None for v in verdicts) else all(verdicts)
        out.append({"measure": measure, "goal": goal, "lines": ids,
                    "measured": ", ".join(f"{l['id']} {shown_ratio(l)}" + ("" if l["met"] is not False else " (missed)")
                                          for l in ls),
                    "met": met})
    return out


def goals_markdown(summary):
    rows = [f"Goals of issue 14, from the run of {summary['date']} (mode {summary['mode']}); "
            "each line's figures are in the table below.", "",
            "| measure | goal | measured (line: ratio) | met |", "|---|---|---|---|"]
    for gl in summary["goals"]:
        met = {True: "met", False: "**missed**", None: "not run"}[gl["met"]]
        rows.append(f"| {gl['measure']} | {gl['goal']} | {gl['measured']} | {met} |")
    return "\n".join(rows)


def replace_between(doc, begin, end, body):
    head, rest = doc.split(begin, 1)
    _, tail = rest.split(end, 1)
    return head + begin + "\n" + body + "\n" + end + tail


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
        ratio = shown_ratio(l)
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
    ap.add_argument("--note", help="the conditions of the run (e.g. the machine was shared), printed with the tables")
    a = ap.parse_args()
    runs, table = load(a.raw)
    lines = [evaluate(l, table) for l in LINES]
    summary = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": a.mode, "command": a.command, "raw": os.path.relpath(a.raw),
        "jdk": jdk(runs), "machine": machine(), "lines": lines, "goals": goals(lines),
    }
    if a.note:
        summary["note"] = a.note
    if a.out:
        with open(a.out, "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    md = markdown(summary)
    gmd = goals_markdown(summary)
    if a.note:
        md = md.replace("\n\n", f"\nConditions: {a.note}\n\n", 1)
        gmd = gmd.replace("\n\n", f" Conditions: {a.note}\n\n", 1)
    print(gmd + "\n\n" + md)
    if a.markdown:
        with open(a.markdown) as f:
            doc = f.read()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"report.py: {a.markdown} has no {BEGIN} ... {END} markers")
        doc = replace_between(doc, BEGIN, END, md)
        if GOALS_BEGIN in doc and GOALS_END in doc:
            doc = replace_between(doc, GOALS_BEGIN, GOALS_END, gmd)
        with open(a.markdown, "w") as f:
            f.write(doc)
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
