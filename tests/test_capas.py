"""La arquitectura en capas: cli → informe → evaluacion → lectura, y errores/escritura en la base.

Se leen las importaciones de cada módulo (también las diferidas, dentro de
funciones) y se exige que solo apunten hacia abajo y que no haya ciclos.
"""

from __future__ import annotations

import ast
from pathlib import Path

PAQUETE = Path(__file__).parents[1] / "src" / "analisis"
NIVEL = {"": 0, "errores": 0, "escritura": 0, "lectura": 1, "evaluacion": 2, "informe": 3, "cli": 4}


def _modulo(archivo: Path) -> str:
    partes = list(archivo.relative_to(PAQUETE).with_suffix("").parts)
    if partes[-1] == "__init__":
        partes.pop()
    return ".".join(["analisis", *partes])


def _importaciones() -> dict[str, set[str]]:
    grafo: dict[str, set[str]] = {}
    for archivo in PAQUETE.rglob("*.py"):
        modulo = _modulo(archivo)
        paquete = modulo if archivo.name == "__init__.py" else modulo.rpartition(".")[0]
        destinos = set()
        for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
            if isinstance(nodo, ast.ImportFrom):
                if nodo.level:
                    base = paquete.split(".")[: len(paquete.split(".")) - (nodo.level - 1)]
                    origen = ".".join(base + ([nodo.module] if nodo.module else []))
                else:
                    origen = nodo.module or ""
                if origen.startswith("analisis"):
                    for alias in nodo.names:
                        candidato = f"{origen}.{alias.name}"
                        destinos.add(candidato if (PAQUETE / Path(*candidato.split(".")[1:])).with_suffix(".py").exists() else origen)
            elif isinstance(nodo, ast.Import):
                destinos |= {a.name for a in nodo.names if a.name.startswith("analisis")}
        grafo[modulo] = destinos - {modulo}
    return grafo


def _capa(modulo: str) -> str:
    partes = modulo.split(".")
    return partes[1] if len(partes) > 1 else ""


def test_las_importaciones_solo_bajan():
    malas = [
        f"{origen} → {destino}"
        for origen, destinos in _importaciones().items()
        for destino in destinos
        if NIVEL[_capa(destino)] > NIVEL[_capa(origen)]
    ]
    assert not malas, "importaciones hacia una capa superior: " + ", ".join(sorted(malas))


def test_no_hay_ciclos_de_importacion():
    grafo = _importaciones()
    estado: dict[str, int] = {}
    ciclos = []

    def visitar(nodo: str, camino: list[str]) -> None:
        estado[nodo] = 1
        for siguiente in sorted(grafo.get(nodo, ())):
            if estado.get(siguiente) == 1:
                ciclos.append(" → ".join(camino[camino.index(siguiente):] + [siguiente]) if siguiente in camino else siguiente)
            elif siguiente not in estado:
                visitar(siguiente, camino + [siguiente])
        estado[nodo] = 2

    for modulo in sorted(grafo):
        if modulo not in estado:
            visitar(modulo, [modulo])
    # Un paquete que importa sus propios submódulos (cli/__init__ → cli.parse) no es un ciclo.
    ciclos = [c for c in ciclos if not all(p.startswith(c.split(" → ")[0]) for p in c.split(" → "))]
    assert not ciclos, "ciclos de importación: " + "; ".join(ciclos)


def test_el_grafo_se_lee_de_verdad():
    # Sin esta comprobación, un error al leer las importaciones dejaría las dos pruebas en verde.
    grafo = _importaciones()
    assert "analisis.evaluacion.alertas" in grafo["analisis.evaluacion.calculo"]
    assert "analisis.lectura.paquete" in grafo["analisis.informe.contexto"]
