"""El entorno de conda y el lock de pip fijan las mismas versiones."""

from __future__ import annotations

from pathlib import Path

RAIZ = Path(__file__).parents[1]


def _pines(lineas):
    return {l.strip().lower() for l in lineas if "==" in l and not l.strip().startswith("#")}


def test_environment_yml_repite_el_lock():
    lock = _pines((RAIZ / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines())
    conda = _pines(
        l.strip().removeprefix("- ") for l in (RAIZ / "environment.yml").read_text(encoding="utf-8").splitlines()
    )
    assert lock and conda == lock


def test_ci_ejecuta_la_orden_de_pruebas_del_readme():
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/pruebas.sh" in readme
    assert "bash scripts/pruebas.sh" in (RAIZ / ".ci" / "run").read_text(encoding="utf-8")
