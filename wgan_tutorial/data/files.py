"""Files of the data sets: downloading them, and reading the formats they come in.

- `download`: one file into keras' cache, once per process, with a timeout, a progress bar
  for large files, and the published SHA-256 checked before the file is kept; it is tried
  only when the host answers (`host_answers`), so an offline machine falls back at once.
- `ArrayUnpickler`: a restricted unpickler for the pickled formats (the classic
  `mnist.pkl.gz`, keras' CIFAR-10 batches) that builds numpy arrays and nothing else.
- `read_gzip` and `read_idx`: LeCun's IDX format, gzipped, as MNIST and Fashion-MNIST ship.
- `why_unreadable`: the one place where the errors of the libraries that read files (Keras,
  zipfile, NumPy, the OS) are put in the package's own words: what the file is, not what
  the library tripped on (Keras calls a truncated archive "File not found").

Nothing here imports TensorFlow.
"""

import functools
import gzip
import hashlib
import logging
import os
import pickle
import socket
import urllib.parse
import urllib.request
import zipfile
import zlib
from pathlib import Path

import numpy as np

from wgan_tutorial.config import error_summary

DOWNLOAD_TIMEOUT_SECONDS = 10
PROGRESS_BAR_BYTES = 1 << 20  # files from 1 MiB up show a progress bar while downloading

_log = logging.getLogger(__name__)


def keras_datasets_dir():
    """keras' cache of data sets: `$KERAS_HOME/datasets` (default `~/.keras/datasets`)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def host_answers(url):
    """Whether the URL's host accepts a TCP connection within the timeout (offline: no)."""
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection(
            (parts.hostname, parts.port or 443), timeout=DOWNLOAD_TIMEOUT_SECONDS
        ).close()
        return True
    except OSError:
        return False


def _fetch(url, path, label):
    """Write the bytes at `url` to `path`; their SHA-256 as a hex string."""
    from tqdm.auto import tqdm

    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with (
        urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response,
        open(path, "wb") as out,
    ):
        size = int(response.headers.get("Content-Length") or 0)
        with tqdm(
            total=size,
            desc=label,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            leave=False,
            disable=size < PROGRESS_BAR_BYTES,
        ) as bar:
            for block in iter(lambda: response.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
                bar.update(len(block))
    return digest.hexdigest()


@functools.cache
def download(url, target, sha256=None):
    """Download `url` to `target` (keras' cache) once per process; None when it fails.

    No TensorFlow is imported: an offline machine learns in milliseconds that the host does
    not answer, and falls back at once. The file is written to a temporary name, checked
    against `sha256` when given (a published digest, so a damaged or altered file is never
    read), then moved into place.

    Args:
        url: https URL. target: str path of the file to write. sha256: hex digest or None.

    Returns:
        Path of the file, or None (offline, blocked, interrupted).

    Raises:
        ValueError: the file's SHA-256 is not `sha256` (naming the file and both digests);
            nothing is left at `target` nor at the temporary name.
    """
    target = Path(target)
    if not host_answers(url):
        _log.info("could not reach %s (offline?)", urllib.parse.urlsplit(url).hostname)
        return None
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        _log.info("downloading %s", url)
        got = _fetch(url, partial, target.name)
        if sha256 is None or got == sha256:
            os.replace(partial, target)
            return target
    except (OSError, ValueError) as error:  # any failure of the download: fall back
        _log.info("download of %s failed (%s)", url, error_summary(error))
        return None
    finally:
        partial.unlink(missing_ok=True)
    raise ValueError(
        f"downloaded file {target.name} ({url}) has SHA-256 {got}, expected "
        f"{sha256}: it was not kept"
    )


def _latin1_encode(text, encoding="latin1"):
    """`_codecs.encode` as pickles of numpy arrays use it (bytes written by Python 2)."""
    if encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError(f"refused _codecs.encode with encoding {encoding!r}")
    return text.encode("latin1")


# What a pickle of numpy arrays may name: array reconstruction, dtypes, scalars. Nothing else
# (no os.system, no builtins.eval): a crafted pickle cannot run code.
_PICKLE_ALLOWED = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
}


class ArrayUnpickler(pickle.Unpickler):
    """An unpickler that builds only numpy arrays, dtypes, scalars and Python containers.

    Any other global a pickle names (a function to call, a class to build) is refused with
    `pickle.UnpicklingError`, so a crafted file cannot run code. Used for a user's
    `mnist.pkl.gz` and keras' pickled CIFAR-10 batches.
    """

    def find_class(self, module, name):
        if (module, name) == ("_codecs", "encode"):
            return _latin1_encode
        if (module, name) in _PICKLE_ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"refused to load {module}.{name}: only numpy arrays, "
            f"dtypes and Python containers are allowed"
        )


def unpickle_arrays(handle, encoding):
    """The object pickled in the open binary file `handle`, read with `ArrayUnpickler`."""
    return ArrayUnpickler(handle, encoding=encoding).load()


def read_gzip(path):
    """The uncompressed bytes of a `.gz` file.

    Raises:
        ValueError: missing, truncated or not gzip, naming `path`.
    """
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{path} is not a readable .gz file: {error_summary(error)}") from None


def read_idx(blob, name, ndim):
    """An IDX array (LeCun's MNIST format): magic 0x0000 08 ndim, ndim big-endian sizes.

    Args:
        blob: the file's bytes. name: for messages. ndim: the number of dimensions expected.

    Returns:
        uint8 array of the shape the header gives (a read-only view of `blob`).

    Raises:
        ValueError: a wrong magic number, or a header that disagrees with the data's length.
    """
    if len(blob) < 4 + 4 * ndim or blob[:4] != bytes([0, 0, 8, ndim]):
        raise ValueError(f"{name} is not an IDX file of {ndim}-D uint8 data")
    shape = tuple(int.from_bytes(blob[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    body = np.frombuffer(blob, np.uint8, offset=4 + 4 * ndim)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{name}: header says {shape}, found {body.size} bytes of data")
    return body.reshape(shape)


NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGIC = b"PK"


def why_unreadable(path, error, kind):
    """Why the file at `path` could not be read as `kind`, in the package's words.

    The library's message is used only when the file itself looks sound (then it names a
    member or a field the package cannot guess).

    Args:
        path: the file that was read. error: what the reading library raised.
        kind: what the file should be, for the message ("Keras model", ".npy", ".npz").

    Returns:
        One line, e.g. "not a readable Keras model file (truncated or damaged zip archive)".
    """
    path = Path(path)
    what = f"not a readable {kind} file"
    if not path.exists():
        return "no such file"
    if path.is_dir():
        return f"a folder, not a {kind} file"
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as os_error:
        return f"{what} ({os_error.strerror or error_summary(os_error)})"
    if not head:
        return f"{what} (empty file)"
    if kind in ("Keras model", ".npz"):
        if not head.startswith(ZIP_MAGIC):
            return f"{what} (not a zip archive)"
        if not zipfile.is_zipfile(path):
            return f"{what} (truncated or damaged zip archive)"
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                damaged = archive.testzip()
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error):
            return f"{what} (truncated or damaged zip archive)"
        if damaged is not None:
            return f"{what} (damaged member {damaged} in the zip archive)"
        if kind == "Keras model" and "config.json" not in names:
            return f"{what} (a zip archive without a Keras model: no config.json)"
    if kind == ".npy" and head.startswith(ZIP_MAGIC):
        return f"{what} (an .npz archive; give a .npy file holding one array)"
    if kind == ".npy" and not head.startswith(NPY_MAGIC):
        return f"{what} (no NumPy header)"
    if "allow_pickle" in str(error):
        return f"{what} (it holds pickled Python objects, which are never loaded)"
    if kind == ".npy":
        return f"{what} (truncated or damaged: {error_summary(error)})"
    return f"{what} ({error_summary(error)})"
