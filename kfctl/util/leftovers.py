"""What a killed kfctl (or an older kfctl) can leave in an app, recognised and cleaned.

* temp files of :func:`kfctl.util.fsutil.atomic_write`: ``.<name>.kfctl-XXXXXXXX.tmp`` (older
  versions: ``.<name>.XXXXXXXX.tmp``), next to the file being written;
* staging and trash folders of older package installs: ``vendor/<reg>/.kfctl-new-*`` (deleted),
  ``vendor/<reg>/.kfctl-old-*`` (a folder whose original place is empty is moved back, else
  deleted), ``vendor/.kfctl-rm-*``; ``environments/.kfctl-new-*``;
* ``.kfctl/trash`` (what a committed change deleted).

:func:`clean_app` runs under the app lock, after :func:`kfctl.util.journal.recover`, so no other
kfctl process is writing any of these.  User files are never matched: every pattern carries a
random 8-character token between fixed ``.``/``.kfctl-`` marks.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

TEMP = re.compile(r"^\..+\.kfctl-[A-Za-z0-9_]{8}\.tmp$")
LEGACY_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STAGING = re.compile(r"^\.kfctl-(new|old|rm)-")
_WALKED = ("components", "environments")


def is_kfctl_temp(name: str) -> bool:
    return bool(TEMP.match(name) or LEGACY_TEMP.match(name))


def _temps_in(d: Path, out: list[Path]) -> None:
    try:
        with os.scandir(d) as it:
            for e in it:
                if e.is_file(follow_symlinks=False) and is_kfctl_temp(e.name):
                    out.append(Path(e.path))
    except OSError:
        pass


def clean_temp_files(directory: Path) -> list[Path]:
    """Delete kfctl temp files anywhere under ``directory`` (an export directory); returns them."""
    found: list[Path] = []
    for dirpath, dirnames, _ in os.walk(directory):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        _temps_in(Path(dirpath), found)
    for p in found:
        p.unlink(missing_ok=True)
    return found


def clean_app(root: Path | str) -> list[Path]:
    """Delete (or put back) what interrupted kfctl commands left in the app; returns the paths handled."""
    found, staged = find(root)
    for p in found:
        p.unlink(missing_ok=True)
    if staged:
        import shutil
    for d in staged:
        if d.name.startswith(".kfctl-old-"):
            _put_back(d)
        shutil.rmtree(d, ignore_errors=True)
    return found + staged


def find(root: Path | str) -> tuple[list[Path], list[Path]]:
    """(temp files, staging/trash folders) that interrupted kfctl commands left in the app."""
    root = Path(root)
    found: list[Path] = []
    _temps_in(root, found)
    _temps_in(root / ".kfctl", found)
    _temps_in(root / "lib", found)
    staged: list[Path] = []
    for top in _WALKED:
        for dirpath, dirnames, _ in os.walk(root / top):
            here = Path(dirpath)
            _temps_in(here, found)
            for d in list(dirnames):
                if STAGING.match(d):
                    staged.append(here / d)
                    dirnames.remove(d)
    vendor = root / "vendor"
    try:
        regs = [Path(e.path) for e in os.scandir(vendor) if e.is_dir(follow_symlinks=False)]
    except OSError:
        regs = []
    _temps_in(vendor, found)
    for reg in regs:
        if STAGING.match(reg.name):
            staged.append(reg)
            continue
        _temps_in(reg, found)
        try:
            staged += [Path(e.path) for e in os.scandir(reg) if e.is_dir(follow_symlinks=False)
                       and STAGING.match(e.name)]
        except OSError:
            pass
    trash = root / ".kfctl" / "trash"
    if trash.exists():
        staged.append(trash)
    return found, staged


def _put_back(trash: Path) -> None:
    """An older ``pkg install`` moved the installed folders here (``<n>-<folder>``) before placing the
    new one; a folder whose place is still empty goes back (the install never completed)."""
    for e in sorted(trash.iterdir()):
        m = re.match(r"^\d+-(.+)$", e.name)
        if not m:
            continue
        orig = trash.parent / m.group(1)
        if not orig.exists() and not orig.is_symlink():
            os.replace(e, orig)
