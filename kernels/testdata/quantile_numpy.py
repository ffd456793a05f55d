"""Writes quantile_numpy.json: numpy's quantile and median of a few series.

Run from this directory with the Debian numpy (bash bench/peers/install.sh):
    /usr/bin/python3 quantile_numpy.py
Values are stored as hex bit patterns so that -0, inf and nan are exact.
"""
import json
import struct

import numpy as np

rng = np.random.default_rng(3)


def h(v):
    return struct.pack('<d', float(v)).hex()


series = {
    'one': [2.5],
    'two': [1.0, 4.0],
    'ties': [3.0, 1.0, 3.0, 3.0, 2.0, 1.0, 3.0],
    'zeros': [0.0, -0.0, 0.0, -0.0],
    'inf': [1.0, np.inf, -np.inf, 2.0, 5.0],
    'huge': [1e308, 1.5e308, -1e308, 1.7e308],
    'normal1001': list(rng.standard_normal(1001)),
    'offset1000': list(1e8 + rng.standard_normal(1000)),
    'ints': list(rng.integers(0, 10, 99).astype(float)),
    'nan': [1.0, np.nan, 3.0],
}
qs = [0, 0.1, 0.25, 0.3, 1 / 3, 0.5, 0.75, 0.9, 0.999, 1]
out = {}
with np.errstate(all='ignore'):
    for name, x in series.items():
        a = np.array(x)
        out[name] = {
            'x': [h(v) for v in a],
            'q': [h(q) for q in qs],
            'quantile': [h(np.quantile(a, q)) for q in qs],
            'median': h(np.median(a)),
        }
with open('quantile_numpy.json', 'w') as f:
    json.dump({'numpy': np.__version__, 'series': out}, f, indent=0, sort_keys=True)
    f.write('\n')
