"""The benchmark: journey-audit against the floors it cannot beat, in ONE run.

    python bench/run.py --audits 1000 --touchpoints 40 [--json out.json]

Times on a shared machine are noisy; ratios taken within one run are not, so every
figure is reported beside its floor. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import write_portfolio  # noqa: E402

from journey_audit.portfolio import load_portfolio  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def floor_c(paths: list[Path]) -> None:
    """The fastest bare parse: libyaml's C loader, no checks, no positions."""
    for p in paths:
        yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--audits", type=int, default=200)
    ap.add_argument("--touchpoints", type=int, default=40)
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)

    rows: list[tuple[str, float, str, float | None]] = []
    with tempfile.TemporaryDirectory(prefix="ja-bench-") as tmp:
        root = Path(tmp)
        paths = write_portfolio(root, args.audits, args.touchpoints)
        size = sum(p.stat().st_size for p in paths)
        floor_c(paths[:5])  # warm the page cache and imports
        t_c, _ = timed(lambda: floor_c(paths))
        rows.append(("floor C: yaml.load CSafeLoader", t_c, "C", None))
        t_v, portfolio = timed(lambda: load_portfolio([root / "audits"]))
        if portfolio.errors:
            print("\n".join(p.format() for p in portfolio.errors[:5]), file=sys.stderr)
            return 1
        rows.append(("validate (all rules, line numbers)", t_v, "C", t_v / t_c))

    print(f"{args.audits} audits × {args.touchpoints} touchpoints, {size / 1e6:.1f} MB of YAML")
    print(f"{'measure':<40} {'seconds':>9} {'ratio':>12}")
    for name, secs, floor, ratio in rows:
        r = f"{ratio:.2f}× {floor}" if ratio is not None else "floor"
        print(f"{name:<40} {secs:9.3f} {r:>12}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "audits": args.audits, "touchpoints": args.touchpoints, "yaml_bytes": size,
            "results": [{"measure": n, "seconds": round(s, 4), "floor": f, "ratio": None if r is None else round(r, 3)}
                        for n, s, f, r in rows]}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
