"""A content-addressed cache of parsed YAML, so a warm re-run skips the parser (~95 % of a load).

The key is the SHA-256 of the file's bytes together with the versions of harmonize and
ruamel.yaml, so an edited file, or a new parser, can never be answered from a stale entry. Only
successful parses are stored. Entries are read with an unpickler that can build nothing but plain
data (dict, list, str, numbers, dates): a cache restored from an untrusted CI artifact cannot run
code. Any unreadable entry is ignored and the file is parsed again.

Location: $HARMONIZE_CACHE_DIR, else $XDG_CACHE_HOME/harmonize, else ~/.cache/harmonize.
HARMONIZE_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import pickle
from pathlib import Path
from typing import Any, Optional

FORMAT = 1
_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def cache_dir() -> Optional[Path]:
    if os.environ.get("HARMONIZE_NO_CACHE"):
        return None
    if os.environ.get("HARMONIZE_CACHE_DIR"):
        return Path(os.environ["HARMONIZE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "harmonize"


def _key(text: str) -> str:
    from ruamel.yaml import __version__ as ruamel_version

    from .. import __version__

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{ruamel_version}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def get(text: str) -> tuple[bool, Any]:
    """(True, data) on a hit; (False, None) on a miss or any problem with the entry."""
    folder = cache_dir()
    if folder is None:
        return False, None
    key = _key(text)
    path = folder / key[:2] / key
    try:
        blob = path.read_bytes()
    except OSError:
        return False, None
    try:
        return True, _DataOnly(io.BytesIO(blob)).load()
    except Exception:  # noqa: BLE001 - a broken entry is a miss; it is overwritten by the next put
        return False, None


def put(text: str, data: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    key = _key(text)
    try:
        from ..atomic import write_atomic

        write_atomic(folder / key[:2] / key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # a cache that cannot be written only costs time
