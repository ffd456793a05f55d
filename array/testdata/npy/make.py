"""Writes the .npy/.npz files that array's tests read, with numpy itself.

Run from this directory with the Debian numpy (bash bench/peers/install.sh):
    /usr/bin/python3 make.py
It rewrites every file and want.json: for each file, the shape and the
expected float64 values in C order (as hex bit patterns, so NaN and -0 are
exact), or the error the reader must give.
"""
import json
import struct

import numpy as np
from numpy.lib import format as npf

rng = np.random.default_rng(12)
want = {}


def bits(a):
    a = np.ascontiguousarray(a, dtype=np.float64).ravel()
    return [struct.pack('<d', v).hex() for v in a]


def save(name, arr, version=None, expect=None):
    with open(name, 'wb') as f:
        npf.write_array(f, arr, version=version, allow_pickle=True)
    if expect is None:
        want[name] = {'shape': list(arr.shape), 'bits': bits(arr.astype(np.float64))}
    else:
        want[name] = {'error': expect}


special = np.array([0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan, 5e-324, 1.7976931348623157e308])
save('f8_le.npy', special)
save('f8_be.npy', special.astype('>f8'))
m = rng.standard_normal((3, 4))
save('f8_c_2d.npy', m)
save('f8_f_2d.npy', np.asfortranarray(m))
save('f8_f_3d_be.npy', np.asfortranarray(rng.standard_normal((2, 3, 4))).astype('>f8', order='F'))
save('f8_0d.npy', np.array(3.25))
save('f8_empty.npy', np.zeros((0, 3)))
save('f8_v2.npy', m, version=(2, 0))
save('f8_v3.npy', m, version=(3, 0))
save('f4.npy', np.array([1.5, -0.0, np.inf, np.nan, 3.4028235e38, 1e-45], dtype='<f4'))
save('f4_be.npy', np.array([1.5, -2.5, 1e-3], dtype='>f4'))
save('f2.npy', np.array([1.0, -0.0, 65504.0, 6e-8, np.inf, np.nan, 0.1], dtype='<f2'))
for t in ['i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8']:
    info = np.iinfo(t)
    v = np.array([info.min, info.max, 0, 1, info.max // 3], dtype='<' + t)
    save(t + '.npy', v)
save('i8_be.npy', np.array([-(2**62), 2**53 + 1, 7], dtype='>i8'))
save('bool.npy', np.array([[True, False], [False, True]]))
save('c16.npy', np.array([1 + 2j]), expect='ErrDType')
save('object.npy', np.array([1, 'a'], dtype=object), expect='ErrDType')
save('unicode.npy', np.array(['ab']), expect='ErrDType')
save('struct.npy', np.zeros(2, dtype=[('a', '<f8'), ('b', '<i4')]), expect='ErrDType')
save('datetime.npy', np.array(['2020-01-01'], dtype='datetime64[D]'), expect='ErrDType')

np.savez('plain.npz', m, x=special, empty=np.zeros(0))
want['plain.npz'] = {'members': {'arr_0': {'shape': [3, 4], 'bits': bits(m)},
                                 'x': {'shape': [9], 'bits': bits(special)},
                                 'empty': {'shape': [0], 'bits': []}}}
big = rng.standard_normal(5000)
np.savez_compressed('compressed.npz', big=big, ints=np.arange(6, dtype=np.int32).reshape(2, 3))
want['compressed.npz'] = {'members': {'big': {'shape': [5000], 'bits': bits(big)},
                                      'ints': {'shape': [2, 3], 'bits': bits(np.arange(6).reshape(2, 3))}}}

with open('want.json', 'w') as f:
    json.dump({'numpy': np.__version__, 'files': want}, f, indent=0, sort_keys=True)
    f.write('\n')
