"""Validated audits of earlier runs, found by their file's bytes: a warm build parses nothing.

``build`` and ``serve`` validate every audit before every build. Reading 200 audits
of 40 touchpoints back from the cache takes a fraction of the time parsing and
checking them takes, and a file edited since is validated as usual.

An entry's key is a hash of the file's bytes, the name its messages show, and our
own code (a new rule checks every file again); its content, the audit and the
problems found, as JSON (:func:`dumps`, :func:`loads`) in the cache's ``audits`` area
(:class:`journey_audit.cache.Cache`), checked against its hash on every read. A
result holding a value JSON cannot say is simply not kept.

JSON, not pickle: reading a pickle runs whatever code it names, so anyone who could
write the cache folder (a shared checkout, a ``.cache`` folder committed by mistake, an
archive unpacked over the project) could run code in every build. The JSON here can
only make the model's own dataclasses (:data:`CLASSES`), dates and plain values; a
file that makes anything else, or that is damaged, is a miss, and the audit is
validated again.

>>> from journey_audit.audit.validate import validate_text
>>> result = validate_text("title: T\\nclient: C\\ndate: 2026-01-15\\n", "a.yaml", "a")
>>> loads(dumps(result)) == result
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from ..cache import Cache, code_fingerprint, key
from ..errors import AuditError
from . import model
from .model import Audit
from .problems import Problem
from .validate import validate_bytes, validate_file
from .yamlsource import read_bytes

Result = tuple[Audit | None, list[Problem]]
# The only classes an entry can make: the model's dataclasses, and Problem.
CLASSES = {cls.__name__: cls for cls in [*vars(model).values(), Problem]
           if isinstance(cls, type) and dataclasses.is_dataclass(cls)}
_SUFFIX = "json"


def validate_cached(path: Path, display: str, cache: Cache | None) -> Result:
    """:func:`journey_audit.audit.validate.validate_file`, answered from ``cache`` when the file is unchanged."""
    if cache is None:
        return validate_file(path, display)
    try:
        data = read_bytes(path, display)
    except AuditError as exc:  # too big or unreadable: nothing to remember
        return None, exc.problems
    entry = key("validated-audit", code=code_fingerprint(), display=display, slug=path.stem, data=data)
    kept = cache.audits.read(entry, _SUFFIX)
    if kept is not None:
        try:
            return loads(kept)
        except ValueError:  # not ours (a hash matching foreign data): validate again
            pass
    result = validate_bytes(data, display, path.stem)  # the bytes the key was made from
    try:
        cache.audits.write(entry, _SUFFIX, dumps(result))
    except TypeError:  # a value JSON cannot say: validated every time
        pass
    return result


def dumps(result: Result) -> bytes:
    """The audit and its problems as JSON: dataclasses as ``{"@": class, field: value…}``,
    dates as ``{"@date": iso}``, tuples as ``{"@tuple": […]}``, dicts of text keys (none starting with ``@``) as
    themselves, other dicts as ``{"@dict": [[key, value]…]}`` (keys keep their type)."""
    audit, problems = result
    return json.dumps([_data(audit), [_data(p) for p in problems]], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8", "surrogatepass")


def _data(value: object) -> object:
    t = type(value)
    if value is None or t is str or t is int or t is float or t is bool:
        return value
    if t is list:
        return [_data(v) for v in value]
    if t is tuple:
        return {"@tuple": [_data(v) for v in value]}
    if t is dict:
        if all(type(k) is str and not k.startswith("@") for k in value):
            return {k: _data(v) for k, v in value.items()}
        return {"@dict": [[_data(k), _data(v)] for k, v in value.items()]}
    if t is dt.date:
        return {"@date": value.isoformat()}
    if CLASSES.get(t.__name__) is t:
        out: dict[str, object] = {"@": t.__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _data(getattr(value, f.name))
        return out
    raise TypeError(f"a validated audit cannot hold a {t.__name__}")


def loads(data: bytes) -> Result:
    """What :func:`dumps` wrote; ``ValueError`` for anything else."""
    try:
        audit, problems = json.loads(data.decode("utf-8", "surrogatepass"), object_hook=_object)
    except (TypeError, KeyError, AttributeError, RecursionError) as exc:  # a foreign shape
        raise ValueError(f"not a validated audit: {exc!r}") from None
    if not (audit is None or isinstance(audit, Audit)) or not isinstance(problems, list) \
            or not all(isinstance(p, Problem) for p in problems):
        raise ValueError("not a validated audit")
    return audit, problems


def _object(obj: dict) -> object:
    if "@" in obj:
        cls = CLASSES[obj.pop("@")]
        return cls(**obj)
    if len(obj) == 1:
        if "@date" in obj:
            return dt.date.fromisoformat(obj["@date"])
        if "@dict" in obj:
            return {k: v for k, v in obj["@dict"]}
        if "@tuple" in obj:
            return tuple(obj["@tuple"])
    return obj  # a dict of text keys
