#!/usr/bin/env python3
"""tests/bench/measure.py: run a command several times and report its cost.

usage: measure.py [--runs N] [--warmup N] [--clean DIR] [--plain] [--json FILE]
                  [--stderr FILE] [--env NAME=VALUE] -- CMD...

Each run: DIR (if given) is removed first, outside the timed part; then CMD is
started and waited for. Wall time is time.perf_counter() around spawn and
wait; CPU time (user + system) and peak memory come from os.wait4() on the
child. When /usr/bin/time is installed the command runs under
`/usr/bin/time -v` and peak memory is its "Maximum resident set size"
(the same kernel figure). Without it, wait4() is the fallback, but Linux
counts the parent's memory at fork+exec into the child's peak, so that figure
is an upper bound (rss_source says which). --plain skips the /usr/bin/time
wrapper, for short runs where its own start-up would count, and reports no
memory figure.

CMD's standard output is discarded; its standard error goes to FILE (appended)
with --stderr. --env adds one variable to CMD's environment (repeatable).

Prints one line of JSON (also written to FILE with --json): wall_ms list,
median/min/max wall, median CPU ms, the largest max RSS in KiB, the worst
exit status and where the RSS figure came from.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TIME_V = "/usr/bin/time"


def run_once(cmd, clean, plain, errf, env):
    if clean:
        shutil.rmtree(clean, ignore_errors=True)
    rss_file = None
    argv = list(cmd)
    if not plain and os.access(TIME_V, os.X_OK):
        fd, rss_file = tempfile.mkstemp(prefix="bench-time-")
        os.close(fd)
        argv = [TIME_V, "-v", "-o", rss_file] + argv
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errf, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - t0) * 1000.0
        text = ""
        if rss_file:
            with open(rss_file, encoding="utf-8", errors="replace") as f:
                text = f.read()
    finally:
        if rss_file:
            os.unlink(rss_file)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss, source = ru.ru_maxrss, "wait4 (upper bound: includes python's own size)"
    if plain:
        rss, source = None, "none (--plain)"
    if rss_file:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if m:
            rss, source = int(m.group(1)), "/usr/bin/time -v"
        # time -v exits with the command's status, or reports a signal
        sig = re.search(r"Command terminated by signal (\d+)", text)
        if sig:
            proc.returncode = 128 + int(sig.group(1))
    cpu = (ru.ru_utime + ru.ru_stime) * 1000.0
    return wall, cpu, rss, source, proc.returncode


def main():
    args = sys.argv[1:]
    if "--" not in args:
        sys.exit(__doc__)
    sep = args.index("--")
    opts, cmd = args[:sep], args[sep + 1:]
    runs, warmup, clean, out, plain, errf, env = 1, 0, None, None, False, None, None
    i = 0
    while i < len(opts):
        if opts[i] == "--plain":
            plain = True
            i += 1
            continue
        key, val = opts[i], opts[i + 1]
        if key == "--runs":
            runs = int(val)
        elif key == "--warmup":
            warmup = int(val)
        elif key == "--clean":
            clean = val
        elif key == "--json":
            out = val
        elif key == "--stderr":
            errf = open(val, "a", encoding="utf-8")
        elif key == "--env":
            env = dict(env or os.environ)
            name, _, value = val.partition("=")
            env[name] = value
        else:
            sys.exit("measure.py: unknown option " + key)
        i += 2
    worst = 0
    for _ in range(warmup):
        worst = max(worst, run_once(cmd, clean, plain, errf, env)[4])
    walls, cpus, rss, source = [], [], 0, "wait4"
    for _ in range(runs):
        w, c, r, source, rc = run_once(cmd, clean, plain, errf, env)
        walls.append(w)
        cpus.append(c)
        rss = None if r is None else max(rss, r)
        worst = max(worst, rc)
    res = {
        "runs": runs,
        "wall_ms": [round(w, 2) for w in walls],
        "median_ms": round(statistics.median(walls), 2),
        "min_ms": round(min(walls), 2),
        "max_ms": round(max(walls), 2),
        "cpu_ms": round(statistics.median(cpus), 2),
        "maxrss_kb": rss,
        "rss_source": source,
        "rc": worst,
    }
    line = json.dumps(res)
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
