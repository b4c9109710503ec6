#!/usr/bin/env python3
"""Writes the tiny imdb.npz fixtures for the sentiment loader tests, without numpy.

keras.datasets.imdb downloads imdb.npz: a zip of x_train.npy, y_train.npy, x_test.npy and y_test.npy. The y
arrays are plain int64 .npy files; the x arrays are dtype=object .npy files whose body is a pickle of the
ndarray, each element a Python list of word ranks. numpy is not available here, so this script registers fake
`numpy` modules whose `ndarray` and `dtype` reduce to exactly what real numpy's reduce to; the standard pickler
then writes the same opcodes np.save would.

Run from this folder:  python3 make_imdb_npz.py   (the output is byte-for-byte reproducible)
"""

import io
import os
import pickle
import struct
import sys
import types
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Word ranks (1 = most frequent word). Chosen to exercise the loader: BININT1/BININT2/BININT/LONG1 integers,
# ranks past any small num_words (oov), an empty review, and one long enough (1500) that the pickler splits
# its APPENDS into batches of 1000.
TRAIN_REVIEWS = [
    [1, 2, 3, 4, 5],
    [6, 7, 8],
    [16, 17, 18, 300, 88586, 2 ** 40],
    list(range(1, 1501)),
    [9],
    [],
]
TRAIN_LABELS = [1, 0, 1, 0, 1, 0]
TEST_REVIEWS = [
    [10, 11, 12],
    [300, 2, 3],
    list(range(1, 30)),
    [4, 4, 4, 4],
]
TEST_LABELS = [1, 0, 1, 0]


def install_fake_numpy(multiarray_module):
    """Registers numpy, its core package and `multiarray_module` (numpy.core.multiarray in numpy 1.x,
    numpy._core.multiarray in 2.x) so that pickle names the same globals real numpy does."""
    for name in [m for m in list(sys.modules) if m == "numpy" or m.startswith("numpy.")]:
        del sys.modules[name]

    numpy = types.ModuleType("numpy")
    core_name = multiarray_module.rpartition(".")[0]
    core = types.ModuleType(core_name)
    multiarray = types.ModuleType(multiarray_module)

    def _reconstruct(*_):
        raise RuntimeError("fixture stand-in; never called")

    _reconstruct.__module__ = multiarray_module
    _reconstruct.__qualname__ = "_reconstruct"

    class dtype:
        def __init__(self, code):
            self.code = code

        def __reduce__(self):
            # What numpy returns for np.dtype('O'): version-3 state, '|' byte order, flags 63.
            return (dtype, ("O8", False, True), (3, "|", None, None, None, -1, -1, 63))

    class ndarray:
        def __init__(self, items):
            self.items = items

        def __reduce__(self):
            # numpy's array___reduce__ for an object array: the state's last item is a list of the elements.
            return (
                _reconstruct,
                (ndarray, (0,), b"b"),
                (1, (len(self.items),), OBJECT_DTYPE, False, list(self.items)),
            )

    for cls in (dtype, ndarray):
        cls.__module__ = "numpy"
        cls.__qualname__ = cls.__name__

    numpy.dtype = dtype
    numpy.ndarray = ndarray
    multiarray._reconstruct = _reconstruct
    setattr(numpy, core_name.split(".")[1], core)
    core.multiarray = multiarray
    sys.modules["numpy"] = numpy
    sys.modules[core_name] = core
    sys.modules[multiarray_module] = multiarray

    global OBJECT_DTYPE
    OBJECT_DTYPE = dtype("O")
    return ndarray


def npy_header(descr, length):
    """A version 1.0 .npy header, padded as numpy pads it (room to grow the shape, 64-byte alignment)."""
    header = "{'descr': %r, 'fortran_order': False, 'shape': (%d,), }" % (descr, length)
    header += " " * (21 - len(repr(length)))
    padding = 64 - (10 + len(header) + 1) % 64
    header += " " * padding + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")


def object_npy(ndarray, reviews, protocol):
    return npy_header("|O", len(reviews)) + pickle.dumps(ndarray(reviews), protocol=protocol)


def int64_npy(values):
    return npy_header("<i8", len(values)) + struct.pack("<%dq" % len(values), *values)


def write_zip(path, members, compression):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = compression
            archive.writestr(info, data)


def imdb_members(ndarray, protocol, pickle_bytes=None):
    x_train = pickle_bytes if pickle_bytes is not None else object_npy(ndarray, TRAIN_REVIEWS, protocol)
    return [
        ("x_train.npy", x_train),
        ("y_train.npy", int64_npy(TRAIN_LABELS)),
        ("x_test.npy", object_npy(ndarray, TEST_REVIEWS, protocol)),
        ("y_test.npy", int64_npy(TEST_LABELS)),
    ]


def python2_pickle(reviews):
    """The opcodes Python 2's cPickle (protocol 2) wrote for the same array, emitted by hand since Python 3 cannot:
    Python 2 str ('b', 'O8', '|') is SHORT_BINSTRING, the dtype flags are ints, and 2**40 is a Python 2 long."""
    memo = iter(range(1, 256))

    def put():
        return b"q" + bytes([next(memo)])

    def string(text):
        return b"U" + bytes([len(text)]) + text.encode("latin1")

    def integer(value):
        if 0 <= value < 2 ** 8:
            return b"K" + bytes([value])
        if 0 <= value < 2 ** 16:
            return b"M" + struct.pack("<H", value)
        if -(2 ** 31) <= value < 2 ** 31:
            return b"J" + struct.pack("<i", value)
        encoded = pickle.encode_long(value)
        return b"\x8a" + bytes([len(encoded)]) + encoded

    def items(values):
        # Lists are filled as the pickler fills them: APPEND for one item, MARK ... APPENDS per 1000.
        if len(values) == 1:
            return values[0] + b"a"
        return b"".join(b"(" + b"".join(values[i:i + 1000]) + b"e" for i in range(0, len(values), 1000))

    out = b"\x80\x02"
    out += b"cnumpy.core.multiarray\n_reconstruct\n" + put()
    out += b"cnumpy\nndarray\n" + put()
    out += integer(0) + b"\x85" + put() + string("b") + b"\x87" + put() + b"R" + put()
    out += b"(" + integer(1) + integer(len(reviews)) + b"\x85" + put()
    out += b"cnumpy\ndtype\n" + put() + string("O8") + integer(0) + integer(1) + b"\x87" + put() + b"R" + put()
    out += b"(" + integer(3) + string("|") + put() + b"NNN" + integer(-1) + integer(-1) + integer(63) + b"t" + put() + b"b"
    out += b"\x89]" + put()
    out += items([b"]" + put() + items([integer(word) for word in review]) for review in reviews])
    out += b"t" + put() + b"b."
    return out


def python2_members():
    return [
        ("x_train.npy", npy_header("|O", len(TRAIN_REVIEWS)) + python2_pickle(TRAIN_REVIEWS)),
        ("y_train.npy", int64_npy(TRAIN_LABELS)),
        ("x_test.npy", npy_header("|O", len(TEST_REVIEWS)) + python2_pickle(TEST_REVIEWS)),
        ("y_test.npy", int64_npy(TEST_LABELS)),
    ]


class UnsafeReduce:
    """What a malicious pickle looks like: unpickling would call os.system."""

    def __reduce__(self):
        return (os.system, ("echo this fixture must never run",))


def main():
    corrupt = os.path.join(HERE, "corrupt")
    os.makedirs(corrupt, exist_ok=True)

    # numpy 1.x names: protocol 3 (np.save's choice for object arrays in numpy of the dataset's era) and
    # protocol 2 (Python 3 writes bytes through _codecs.encode there).
    ndarray = install_fake_numpy("numpy.core.multiarray")
    write_zip(os.path.join(HERE, "imdb.npz"), imdb_members(ndarray, 3), zipfile.ZIP_DEFLATED)
    write_zip(os.path.join(HERE, "imdb-protocol2.npz"), imdb_members(ndarray, 2), zipfile.ZIP_STORED)
    write_zip(os.path.join(HERE, "imdb-python2.npz"), python2_members(), zipfile.ZIP_DEFLATED)

    # Corrupt variants of the protocol-3 file.
    members = imdb_members(ndarray, 3)
    write_zip(os.path.join(corrupt, "imdb-missing-y_test.npz"), members[:3], zipfile.ZIP_DEFLATED)
    with open(os.path.join(HERE, "imdb.npz"), "rb") as f:
        whole = f.read()
    with open(os.path.join(corrupt, "imdb-truncated.npz"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    unsafe = npy_header("|O", 1) + pickle.dumps(UnsafeReduce(), protocol=3)
    write_zip(os.path.join(corrupt, "imdb-unsafe-global.npz"), imdb_members(ndarray, 3, unsafe), zipfile.ZIP_STORED)
    write_zip(os.path.join(corrupt, "imdb-protocol0.npz"), imdb_members(ndarray, 0), zipfile.ZIP_STORED)

    # numpy 2.x names with protocol 5 (FRAME, STACK_GLOBAL, MEMOIZE).
    ndarray = install_fake_numpy("numpy._core.multiarray")
    write_zip(os.path.join(HERE, "imdb-protocol5-numpy2.npz"), imdb_members(ndarray, 5), zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    main()
