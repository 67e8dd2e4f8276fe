"""Tiempo de generación del informe de un periodo, en frío y en caliente.

Compara, sobre los datos incluidos:

1. ``analisis informe --periodo P`` en frío (carpeta de salida vacía);
2. la misma orden en caliente (nada cambió: debe reutilizar el resultado);
3. los mismos cuadernos uno por uno con las líneas de órdenes de papermill y
   ``jupyter nbconvert --to html`` (lo que haría alguien sin analisis);
4. una ejecución de papermill de un cuaderno de una sola celda (el coste fijo
   de arrancar papermill y un núcleo), que es la unidad de comparación:
   el objetivo (issue 10) es que el informe en frío tarde como mucho 2,5 veces eso.

Uso: ``.venv/bin/python benchmarks/bench_informe.py [--periodo 2025-T2] [--repeticiones 2] [--sin-uno-a-uno]``

``--sin-uno-a-uno`` omite el paso 3 (un minuto por repetición), para medir
más veces lo que decide el objetivo. Se imprime el mejor tiempo y la mediana.
Imprime cifras; no es una prueba.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
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
    parser.add_argument("--sin-uno-a-uno", action="store_true", help="omite papermill + nbconvert uno por uno")
    args = parser.parse_args()

    cuadernos = sorted((RAIZ / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    tiempos: dict[str, list[float]] = {}

    def anotar(nombre: str, segundos: float) -> None:
        tiempos.setdefault(nombre, []).append(segundos)

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
            if args.sin_uno_a_uno:
                continue

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

    mejor = {nombre: min(lista) for nombre, lista in tiempos.items()}
    base = mejor["papermill, cuaderno de una celda"]
    base_mediana = statistics.median(tiempos["papermill, cuaderno de una celda"])
    print(f"Informe del periodo {args.periodo}: {len(cuadernos)} cuadernos, {args.repeticiones} repeticiones")
    print(f"  {'':<48} {'mejor':>9}  {'':<22} {'mediana':>9}")
    for nombre, lista in tiempos.items():
        mediana = statistics.median(lista)
        print(f"  {nombre:<48} {mejor[nombre]:7.2f} s  ({mejor[nombre] / base:5.1f} × papermill mínimo) "
              f"{mediana:7.2f} s  ({mediana / base_mediana:5.1f} × su mediana)")
    frio = mejor["analisis informe, en frío"]
    print(f"Objetivo: en frío ≤ {OBJETIVO} × papermill mínimo = {OBJETIVO * base:.2f} s; medido {frio:.2f} s "
          f"({'cumple' if frio <= OBJETIVO * base else 'no cumple'}); con las medianas, "
          f"{statistics.median(tiempos['analisis informe, en frío']) / base_mediana:.2f} ×")


if __name__ == "__main__":
    main()
