"""Tiempo de generación del informe de un periodo, en frío y en caliente.

Compara, sobre los datos incluidos:

1. ``analisis informe --periodo P`` en frío (carpeta de salida vacía);
2. la misma orden en caliente (nada cambió: debe reutilizar el resultado);
3. los mismos cuadernos uno por uno con las líneas de órdenes de papermill y
   ``jupyter nbconvert --to html`` (lo que haría alguien sin analisis);
4. una ejecución de papermill de un cuaderno de una sola celda (el coste fijo
   de arrancar papermill y un núcleo), que es la unidad de comparación:
   el objetivo (issue 10) es que el informe en frío tarde como mucho 2,5 veces eso.

Uso: ``.venv/bin/python benchmarks/bench_informe.py [--periodo 2025-T2] [--repeticiones 2]``
Imprime cifras; no es una prueba.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: Veces la unidad (papermill de una celda) que puede tardar el informe en frío (issue 10).
OBJETIVO = 2.5


def cronometrar(orden: list[str], cwd: Path | None = None) -> float:
    inicio = time.perf_counter()
    subprocess.run(orden, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - inicio


def cuaderno_minimo(ruta: Path) -> None:
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": "unica", "metadata": {}, "outputs": [], "source": "1 + 1"}
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    ruta.write_text(json.dumps(nb), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--periodo", default="2025-T2")
    parser.add_argument("--repeticiones", type=int, default=2)
    args = parser.parse_args()

    cuadernos = sorted((RAIZ / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    mejor: dict[str, float] = {}

    def anotar(nombre: str, segundos: float) -> None:
        mejor[nombre] = min(segundos, mejor.get(nombre, float("inf")))

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        minimo = tmp / "minimo.ipynb"
        cuaderno_minimo(minimo)
        for _ in range(args.repeticiones):
            anotar("papermill, cuaderno de una celda", cronometrar(
                [str(BIN / "papermill"), "--no-progress-bar", str(minimo), str(tmp / "minimo_out.ipynb")]))

            salida = tmp / "informes"
            shutil.rmtree(salida, ignore_errors=True)
            orden = [str(BIN / "analisis"), "informe", "--periodo", args.periodo, "--salida", str(salida)]
            anotar("analisis informe, en frío", cronometrar(orden, RAIZ))
            anotar("analisis informe, en caliente (sin cambios)", cronometrar(orden, RAIZ))

            uno_a_uno = tmp / "uno_a_uno"
            shutil.rmtree(uno_a_uno, ignore_errors=True)
            uno_a_uno.mkdir()
            inicio = time.perf_counter()
            for cuaderno in cuadernos:
                destino = uno_a_uno / cuaderno.name
                subprocess.run(
                    [str(BIN / "papermill"), "--no-progress-bar", str(cuaderno), str(destino),
                     "-p", "periodo", args.periodo],
                    check=True, cwd=RAIZ / "notebooks", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
                subprocess.run(
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(destino)],
                    check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            anotar("papermill + nbconvert uno por uno (sin PDF)", time.perf_counter() - inicio)

    base = mejor["papermill, cuaderno de una celda"]
    print(f"Informe del periodo {args.periodo}: {len(cuadernos)} cuadernos, mejor de {args.repeticiones} repeticiones")
    for nombre, segundos in mejor.items():
        print(f"  {nombre:<48} {segundos:7.2f} s  ({segundos / base:5.1f} × papermill mínimo)")
    frio = mejor["analisis informe, en frío"]
    print(f"Objetivo: en frío ≤ {OBJETIVO} × papermill mínimo = {OBJETIVO * base:.2f} s; medido {frio:.2f} s "
          f"({'cumple' if frio <= OBJETIVO * base else 'no cumple'})")


if __name__ == "__main__":
    main()
