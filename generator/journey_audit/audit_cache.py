"""Validated audits of earlier runs, found by their file's bytes: a warm build parses nothing.

``build`` and ``serve`` validate every audit before every build. Reading 200 audits
of 40 touchpoints back from this cache takes about a sixth of the time parsing and
checking them takes, and a file edited since is validated as usual.

An entry's key is a hash of the file's bytes, the name its messages show, and our
own code (a new rule checks every file again); its content, the audit and the
problems found, pickled. The cache lives in the project's own cache folder, which
only the project's own builds write; whatever cannot be read back (a damaged or
foreign file) is ignored and the audit validated again.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .cachefiles import code_fingerprint, touch, write_atomic
from .model import Audit
from .problems import AuditError, Problem
from .validate import validate_bytes, validate_file
from .yamlsource import read_bytes


def validate_cached(path: Path, display: str, folder: Path | None) -> tuple[Audit | None, list[Problem]]:
    """:func:`journey_audit.validate.validate_file`, answered from ``folder`` when the file is unchanged."""
    if folder is None:
        return validate_file(path, display)
    try:
        data = read_bytes(path, display)
    except AuditError as exc:  # too big or unreadable: nothing to remember
        return None, exc.problems
    h = hashlib.sha256(code_fingerprint().encode())
    for part in (display.encode("utf-8", "surrogateescape"), path.stem.encode("utf-8", "surrogateescape"), data):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    key = h.hexdigest()
    entry = folder / key[:2] / f"{key}.pickle"
    try:
        audit, problems = pickle.loads(entry.read_bytes())
        if (audit is None or isinstance(audit, Audit)) and isinstance(problems, list):
            touch(entry)  # used: kept when the cache folder is pruned
            return audit, problems
    except Exception:  # noqa: BLE001 - missing, damaged or from elsewhere: validate again
        pass
    result = validate_bytes(data, display, path.stem)  # the bytes the key was made from
    write_atomic(entry, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result
