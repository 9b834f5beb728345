"""Guards around the machine's resources, so that a bad request fails in one clear line.

- `available_memory` / `check_allocation`: refuse an allocation larger than the memory the
  process can get (e.g. `sample --n 100000000`, 292 GiB) before attempting it.
- `writable_folder` / `output_path`: create a folder or check an output file before any
  work is done, turning the operating system's error into a message naming the path, and
  refusing to replace an existing file unless asked.
- `RunLock`: one training at a time in a run folder (an OS-level lock, released when the
  process ends, even by `kill -9`).

Taught nowhere: this is plumbing for the command line and `training.train`.
"""

import contextlib
import os
import tempfile
from pathlib import Path

GIB = 2.0**30


def _cgroup_memory_left():
    """Bytes left under a cgroup v2 memory limit (containers, Binder pods), or None."""
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = Path("/sys/fs/cgroup/memory.current").read_text().strip()
    except OSError:
        return None
    if limit == "max":
        return None
    return max(0, int(limit) - int(used))


def available_memory():
    """Bytes of memory a new allocation can get without swapping, or None if unknown.

    The smaller of the system's available memory (`MemAvailable` of /proc/meminfo, else
    the free physical pages) and what a cgroup memory limit leaves.
    """
    free = None
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    free = int(line.split()[1]) * 1024
                    break
    except OSError:
        try:
            free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            free = None
    left = _cgroup_memory_left()
    known = [value for value in (free, left) if value is not None]
    return min(known) if known else None


def check_allocation(nbytes, what):
    """Raise a ValueError if `nbytes` exceed the available memory (no check if unknown).

    Args:
        nbytes: the size of the planned allocation, in bytes.
        what: what asks for it, for the message (e.g. "n = 100000000 samples").

    Raises:
        ValueError: "<what> needs 292.4 GiB of memory; about 20.1 GiB is available".
    """
    free = available_memory()
    if free is not None and nbytes > free:
        raise ValueError(
            f"{what} needs {nbytes / GIB:.1f} GiB of memory; about "
            f"{free / GIB:.1f} GiB is available"
        )


def _os_reason(error):
    return error.strerror or type(error).__name__


@contextlib.contextmanager
def writing(name, path):
    """Context manager: an OSError raised inside (a full disk, a folder removed meanwhile)
    becomes ValueError "<name> <path>: writing failed (<reason>)".
    """
    try:
        yield
    except OSError as error:
        raise ValueError(f"{name} {path}: writing failed ({_os_reason(error)})") from None


def writable_folder(path, name):
    """Create folder `path` (and its parents) and check that files can be written in it.

    Args:
        path: str or Path.
        name: the option or parameter that named it, for the message.

    Returns:
        Path.

    Raises:
        ValueError: "<name> <path>: cannot write there (<reason>)", e.g. a read-only
            folder, a parent that is a file, or no space left.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise ValueError(f"{name} {path}: cannot write there ({_os_reason(error)})") from None
    return path


def output_path(path, name, overwrite=False):
    """Check that an output file can be written: its folder is writable and, unless
    `overwrite`, no file of that name exists yet.

    Returns:
        Path.

    Raises:
        ValueError: the file exists (and overwrite is False), or its folder cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{name} {path}: is a folder, expected a file name")
    if path.exists() and not overwrite:
        raise ValueError(
            f"{name} {path}: the file exists; to replace it, give --overwrite "
            f"(overwrite=True in Python)"
        )
    writable_folder(path.parent, name)
    return path


class RunLock:
    """An exclusive lock on a run folder, held while a training writes into it.

    Use as a context manager: `with RunLock(save_dir): ...`. The lock is the operating
    system's (fcntl on Linux and macOS, msvcrt on Windows) on the file `.lock` in the
    folder, so it is released when the process ends in any way (a file left behind by a
    killed process locks nothing); a clean exit removes the file.

    Raises:
        ValueError: another process holds the lock (naming its process id).
    """

    FILE = ".lock"

    def __init__(self, folder):
        self.path = Path(folder) / self.FILE
        self._handle = None

    def __enter__(self):
        try:
            handle = open(self.path, "a+")
        except OSError as error:
            raise ValueError(
                f"save_dir {self.path.parent}: cannot write there ({_os_reason(error)})"
            ) from None
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise ValueError(
                f"save_dir {self.path.parent} is in use by another training "
                f"(process {holder}); wait for it to end or choose another "
                f"save_dir"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc_info):
        if self._handle is not None:
            self.path.unlink(missing_ok=True)
            _unlock(self._handle)
            self._handle.close()
            self._handle = None
        return False


try:
    import fcntl

    def _lock(handle):
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle):
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
except ImportError:  # Windows
    import msvcrt

    def _lock(handle):
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle):
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
