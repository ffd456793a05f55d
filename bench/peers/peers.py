#!/usr/bin/env python3
"""Peer measurements for `go run ./bench -peers`.

A long-lived process: the bench writes one JSON request per line on stdin,
{"op": "add", "lib": "numpy", "n": 1000000, "w": 0, "min_time": 0.1},
and reads one JSON answer per line on stdout, {"ns": 123.4} (nanoseconds
per call, the best of several timed calls) or {"skip": "reason"}.
The first line it writes lists the libraries it found.

Run with the system interpreter (/usr/bin/python3) and Debian's packages:
apt-get install python3-numpy python3-numexpr python3-bottleneck python3-pandas
"""
import json
import math
import os
import sys
import time

libs = {}
try:
    import numpy as np
    libs["numpy"] = np.__version__
except ImportError:
    np = None
try:
    import numexpr as ne
    libs["numexpr"] = ne.__version__
except ImportError:
    ne = None
try:
    import bottleneck as bn
    libs["bottleneck"] = bn.__version__
except ImportError:
    bn = None
try:
    import pandas as pd
    libs["pandas"] = pd.__version__
except ImportError:
    pd = None

THREADS = os.cpu_count() or 1
_arrays = {}


def arrays(n):
    if n not in _arrays:
        _arrays.clear()
        rng = np.random.default_rng(1)
        _arrays[n] = (rng.standard_normal(n), rng.standard_normal(n), np.empty(n))
    return _arrays[n]


_extra = {}


def extra_arrays(n):
    """|a| (for log and pow) and a third normal vector (for expr)."""
    if n not in _extra:
        _extra.clear()
        a, _, _ = arrays(n)
        _extra[n] = (np.abs(a), np.random.default_rng(3).standard_normal(n))
    return _extra[n]


def best_ns(f, min_time):
    f()  # warm up: page faults, caches, lazy imports
    best, total, reps = math.inf, 0.0, 0
    while reps < 3 or (total < min_time and reps < 1000):
        t0 = time.perf_counter()
        f()
        dt = time.perf_counter() - t0
        best, total, reps = min(best, dt), total + dt, reps + 1
    return best * 1e9


def funcs_for(op, lib, n, w):
    """Returns a no-argument callable doing the workload, or a skip reason."""
    if np is None:
        return "numpy missing"
    a, b, c = arrays(n)
    pos, a3 = extra_arrays(n)
    alpha = 1.5
    if lib == "numpy":
        table = {
            "add": lambda: np.add(a, b, out=c),
            "triad": lambda: (np.multiply(a, alpha, out=c), np.add(c, b, out=c)),
            "sum": lambda: np.sum(a),
            "dot": lambda: np.dot(a, b),
            "exp": lambda: np.exp(a, out=c),
            "log": lambda: np.log(pos, out=c),
            "sin": lambda: np.sin(a, out=c),
            "tanh": lambda: np.tanh(a, out=c),
            "pow": lambda: np.power(pos, b, out=c),
            "expr": lambda: np.add(2 * a, 3 * b * a3, out=c),
            "smooth": lambda: smooth_numpy(a, w),
            "broadcast_add": lambda: np.add(a.reshape(-1, 1000), b[:1000], out=c.reshape(-1, 1000)),
            "var": lambda: np.var(a),
            "argmax": lambda: np.argmax(a),
            "cumsum": lambda: np.cumsum(a, out=c),
            "sort": lambda: np.sort(a),
            "median": lambda: np.median(a),
            "quantile": lambda: np.quantile(a, 0.9),
        }
        if op == "apply_each":
            if n > 100_000:
                return "too slow above n=1e5"
            fs = [math.sin, abs, lambda x: 2 * x] * (n // 3 + 1)
            fs = fs[:n]
            xs = a.tolist()
            return lambda: np.array([f(x) for f, x in zip(fs, xs)])
        return table.get(op, "no numpy equivalent")
    if lib.startswith("numexpr"):
        if ne is None:
            return "numexpr missing"
        ne.set_num_threads(1 if lib == "numexpr1" else THREADS)
        env = {"a": a, "b": b, "alpha": alpha, "pos": pos, "a3": a3}
        table = {
            "add": lambda: ne.evaluate("a + b", local_dict=env, out=c),
            "broadcast_add": lambda: ne.evaluate("m + r", local_dict={"m": a.reshape(-1, 1000), "r": b[:1000]},
                                                 out=c.reshape(-1, 1000)),
            "triad": lambda: ne.evaluate("alpha * a + b", local_dict=env, out=c),
            "sum": lambda: ne.evaluate("sum(a)", local_dict=env),
            "exp": lambda: ne.evaluate("exp(a)", local_dict=env, out=c),
            "log": lambda: ne.evaluate("log(pos)", local_dict=env, out=c),
            "sin": lambda: ne.evaluate("sin(a)", local_dict=env, out=c),
            "tanh": lambda: ne.evaluate("tanh(a)", local_dict=env, out=c),
            "pow": lambda: ne.evaluate("pos ** b", local_dict=env, out=c),
            "expr": lambda: ne.evaluate("2*a + 3*b*a3", local_dict=env, out=c),
        }
        return table.get(op, "no numexpr equivalent")
    if lib == "bottleneck":
        if bn is None:
            return "bottleneck missing"
        table = {
            "rolling_mean": lambda: bn.move_mean(a, w),
            "rolling_std": lambda: bn.move_std(a, w, ddof=1),
            "rolling_max": lambda: bn.move_max(a, w),
            "rolling_median": lambda: bn.move_median(a, w),
        }
        return table.get(op, "no bottleneck equivalent")
    if lib == "pandas":
        if pd is None:
            return "pandas missing"
        s = pd.Series(a)
        table = {
            "rolling_mean": lambda: s.rolling(w).mean(),
            "rolling_std": lambda: s.rolling(w).std(),
            "rolling_max": lambda: s.rolling(w).max(),
            "rolling_median": lambda: s.rolling(w).median(),
            "rolling_quantile": lambda: s.rolling(w).quantile(0.9),
            "rolling_cov": lambda: s.rolling(w).cov(pd.Series(b)),
            "rolling_corr": lambda: s.rolling(w).corr(pd.Series(b)),
            "rolling_apply": lambda: s.rolling(w).apply(np.mean, raw=True),
            "ewm_mean": lambda: s.ewm(span=20).mean(),
            "smooth": lambda: smooth_pandas(a, w),
            "sum": lambda: s.sum(),
            "var": lambda: s.var(ddof=0),
            "cumsum": lambda: s.cumsum(),
            "median": lambda: s.median(),
        }
        return table.get(op, "no pandas equivalent")
    return "unknown library " + lib


def smooth_numpy(a, w):
    k = w // 2
    p = np.pad(a, k, mode="edge")
    cs = np.cumsum(p)
    cs = np.concatenate(([0.0], cs))
    return (cs[w:] - cs[:-w]) / w


def smooth_pandas(a, w):
    k = w // 2
    return pd.Series(np.pad(a, k, mode="edge")).rolling(w, center=True).mean().to_numpy()[k:-k]


def main():
    print(json.dumps({"libs": libs, "threads": THREADS, "python": sys.version.split()[0]}), flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        req = json.loads(line)
        try:
            f = funcs_for(req["op"], req["lib"], int(req["n"]), int(req.get("w", 0)))
            if isinstance(f, str):
                ans = {"skip": f}
            else:
                ans = {"ns": best_ns(f, float(req.get("min_time", 0.1)))}
        except Exception as e:  # report, never hang the bench
            ans = {"skip": "error: %s" % e}
        print(json.dumps(ans), flush=True)


if __name__ == "__main__":
    main()
