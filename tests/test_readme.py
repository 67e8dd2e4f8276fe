"""Las órdenes del README funcionan como se escriben (como root y sin tocar reports/)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _ordenes(programa: str) -> list[list[str]]:
    lineas = [l.split("#", 1)[0].strip() for l in README.splitlines()]
    return [shlex.split(l) for l in lineas if re.match(rf"^\S*{programa}\b", l)]


def test_nbconvert_no_escribe_en_reports():
    ordenes = [o for o in _ordenes("jupyter") if "nbconvert" in o]
    assert ordenes
    for orden in ordenes:
        assert "--output-dir" in orden, orden
        destino = orden[orden.index("--output-dir") + 1]
        assert not destino.startswith("reports"), orden


def test_jupyterlab_como_root():
    ordenes = [o for o in _ordenes("jupyter") if "lab" in o]
    assert any("--allow-root" in o for o in ordenes)
