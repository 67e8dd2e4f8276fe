"""El entorno declarado: conda y pip fijan las mismas versiones, y cada importación está declarada."""

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


def _importaciones_externas() -> set[str]:
    import ast
    import sys

    modulos = set()
    for archivo in (RAIZ / "src" / "analisis").rglob("*.py"):
        for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
            if isinstance(nodo, ast.Import):
                modulos |= {a.name.split(".")[0] for a in nodo.names}
            elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0 and nodo.module:
                modulos.add(nodo.module.split(".")[0])
    return {m for m in modulos if m not in sys.stdlib_module_names and m != "analisis"}


def test_cada_importacion_esta_declarada_y_fijada():
    import re
    import tomllib
    from importlib.metadata import packages_distributions

    proyecto = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declaradas = {re.split(r"[<>=!~ \[]", d)[0].lower().replace("_", "-") for d in proyecto["dependencies"]}
    fijadas = {p.split("==")[0].replace("_", "-") for p in _pines((RAIZ / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines())}
    distribuciones = packages_distributions()
    for modulo in sorted(_importaciones_externas()):
        nombres = {d.lower().replace("_", "-") for d in distribuciones.get(modulo, [modulo])}
        assert nombres & declaradas, f"«import {modulo}» no está en las dependencias de pyproject.toml"
        assert nombres & fijadas, f"«import {modulo}» no está fijado en requirements/lock.txt"
