"""Guards around the machine's resources, so that a bad request fails in one clear line.

- `available_memory` / `check_allocation`: refuse an allocation larger than the memory the
  process can get (e.g. `sample --n 100000000`, 292 GiB) before attempting it.
- `writable_folder` / `output_path`: create a folder or check an output file before any
  work is done, turning the operating system's error into a message naming the path, and
  refusing to replace an existing file unless asked.
- `RunLock`: one training at a time in a run folder (an OS-level lock, released when the
  process ends, even by `kill -9`).
- `atomic_path` / `write_bytes` / `write_text` / `append_line`: every file the package
  writes goes to a temporary name in the same folder, is flushed to the disk and renamed
  over the old one, so a full disk or a kill leaves the old file intact and no partial
  file behind; an append that fails is cut back off. `CreatedFolders` removes the folders
  a rejected command made.

Taught nowhere: this is plumbing for the command line and `training.train`.
"""

import contextlib
import os
import shutil
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


def os_reason(error):
    """The operating system's words for an OSError ("No space left on device")."""
    if error.strerror:
        return error.strerror
    if error.errno:
        return os.strerror(error.errno)
    return str(error) or type(error).__name__


@contextlib.contextmanager
def writing(name, path):
    """Context manager: an OSError raised inside (a full disk, a folder removed meanwhile)
    becomes ValueError "<name> <path>: writing failed (<reason>)".
    """
    try:
        yield
    except OSError as error:
        raise ValueError(f"{name} {path}: writing failed ({os_reason(error)})") from None


def write_all(handle, data):
    """Write all of `data` (bytes) to a binary file `handle`: the one place the package's
    own bytes reach a file (tests replace it to fill the disk)."""
    handle.write(data)


def sync_file(path):
    """Flush file `path` to the disk (fsync): every file written through `atomic_path` passes
    here before it replaces the old one (tests replace it to fill the disk)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def temporary_name(path):
    """The temporary file `path` is written as: hidden, in the same folder (so the rename is
    atomic), unique to the process, with the same extensions (Keras and matplotlib read the
    format from them): generator.keras -> .generator.partial-PID.keras."""
    path = Path(path)
    stem = path.name.split(".", 1)[0]
    return path.with_name(f".{stem}.partial-{os.getpid()}{path.name[len(stem) :]}")


@contextlib.contextmanager
def atomic_path(path, name="file"):
    """Context manager for a library that writes to a path (Keras, matplotlib, NumPy):
    yields the temporary path to write; when the block ends, the file is flushed to the disk
    and renamed over `path` (`os.replace`, atomic on one file system).

    If the block or the rename fails, the temporary file is removed and the old `path` stays
    as it was; an OSError (a full disk, a read-only folder) becomes ValueError
    "<name> <path>: writing failed (<reason>)", other errors pass unchanged.

    Args:
        path: the file to write (str or Path); its folder must exist.
        name: the option or kind of file, for the message.
    """
    path = Path(path)
    temporary = temporary_name(path)
    try:
        yield temporary
        sync_file(temporary)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            if temporary.is_dir():
                shutil.rmtree(temporary)
            else:
                temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ValueError(f"{name} {path}: writing failed ({os_reason(error)})") from None
        raise


def write_bytes(path, data, name="file"):
    """Write `data` (bytes) as file `path` atomically (see `atomic_path`); returns the Path."""
    with atomic_path(path, name) as temporary, open(temporary, "wb") as handle:
        write_all(handle, data)
    return Path(path)


def write_text(path, text, name="file"):
    """Write `text` (UTF-8) as file `path` atomically (see `atomic_path`); returns the Path."""
    return write_bytes(path, text.encode("utf-8"), name)


def append_line(handle, line, name="file"):
    """Append `line` (str) to a file opened with open(path, "ab", buffering=0).

    A failed write (a full disk) is cut back off, so the file never ends in a torn line.

    Raises:
        ValueError: "<name> <path>: writing failed (<reason>)".
    """
    size = os.fstat(handle.fileno()).st_size
    try:
        write_all(handle, line.encode("utf-8"))
    except OSError as error:
        with contextlib.suppress(OSError):
            os.ftruncate(handle.fileno(), size)
        raise ValueError(f"{name} {handle.name}: writing failed ({os_reason(error)})") from None


class CreatedFolders:
    """Remember the folders a command creates, and remove them (with what it wrote in them)
    if the command fails before `keep()`: a rejected command leaves nothing behind. A
    folder that existed before is never removed.

    Use as a context manager: `with CreatedFolders() as created: created.make(path, name)`.
    """

    def __init__(self):
        self.folders, self.kept = [], False

    def make(self, path, name):
        """`writable_folder(path, name)`, recording which of its folders did not exist."""
        path = Path(path).absolute()
        missing = [folder for folder in (path, *path.parents) if not folder.exists()]
        self.folders.extend(reversed(missing))  # the outermost first
        return writable_folder(path, name)

    def keep(self):
        """The command got far enough: keep what it created."""
        self.kept = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc_info):
        if exc_type is not None and not self.kept:
            for folder in self.folders:
                shutil.rmtree(folder, ignore_errors=True)
        return False


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
        raise ValueError(f"{name} {path}: cannot write there ({os_reason(error)})") from None
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
            handle = open(self.path, "a+b", buffering=0)
        except OSError as error:
            raise ValueError(
                f"save_dir {self.path.parent}: cannot write there ({os_reason(error)})"
            ) from None
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            holder = handle.read().decode(errors="replace").strip() or "unknown"
            handle.close()
            raise ValueError(
                f"save_dir {self.path.parent} is in use by another training "
                f"(process {holder}); wait for it to end or choose another "
                f"save_dir"
            ) from None
        self._handle = handle
        try:  # a lock file cannot be renamed into place (the lock is on its inode): guarded
            handle.seek(0)
            handle.truncate()
            write_all(handle, str(os.getpid()).encode())
        except OSError as error:
            self.__exit__()
            raise ValueError(
                f"save_dir {self.path.parent}: cannot write there ({os_reason(error)})"
            ) from None
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
