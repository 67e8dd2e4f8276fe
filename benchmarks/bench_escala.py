"""Planes de 6, 50 y 500 compromisos: métricas, memoria y páginas del informe.

No es una prueba: imprime cifras, cada una junto a su referencia medida en la
misma ejecución. Los planes salen de :mod:`sintetico` (los compromisos reales
repetidos; con 6 compromisos y una copia es el scrape real tal cual).

1. **Unidad**: ``papermill`` de un cuaderno de una sola celda (arrancar
   papermill y un núcleo), la mejor de ``--repeticiones``.
2. **metricas por hito**: tiempo de CPU de :func:`analisis.evaluacion.calculo.calcular`
   (todas las tablas del periodo) dividido por los hitos, para cada tamaño,
   frente al plan de 50 compromisos. Objetivo: a 500, como mucho 1,5 veces.
3. **metricas por avance**: lo mismo dividido por los avances, con cada avance
   repetido 5 y 50 veces (50 compromisos; las copias son casi iguales, el peor
   caso de la alerta de casi duplicados). Objetivo: 50 copias, como mucho 1,5
   veces lo de 5.
4. **informe**: ``analisis informe --periodo P --fuente PLAN`` en frío, con su
   tiempo (× la unidad), el pico de memoria (suma del RSS de todos los
   procesos de la orden, muestreada cada 0,1 s, y el mayor proceso según
   ``getrusage``) y las páginas del PDF, con las páginas por compromiso.
   Objetivos: menos de 1,5 GB a 500 y páginas que crecen como mucho en
   proporción a los compromisos.

Se mide el tiempo de CPU del proceso para las métricas porque la máquina es
compartida: el de pared varía mucho más con la carga de otros procesos.

Uso::

    .venv/bin/python benchmarks/bench_escala.py [--compromisos 6 50 500] [--copias 5 50]
        [--repeticiones 3] [--sin-informe] [--periodo 2025-T2]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sintetico  # noqa: E402

BIN = Path(sys.executable).parent
REFERENCIA = 50  # compromisos del plan de referencia


def cuaderno_minimo(ruta: Path) -> None:
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "unica", "metadata": {}, "outputs": [], "source": "1 + 1"}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    ruta.write_text(json.dumps(nb), encoding="utf-8")


def papermill_minimo(carpeta: Path, repeticiones: int) -> float:
    entrada, salida = carpeta / "minimo.ipynb", carpeta / "minimo_salida.ipynb"
    cuaderno_minimo(entrada)
    mejor = float("inf")
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        subprocess.run([str(BIN / "papermill"), str(entrada), str(salida)], check=True, capture_output=True)
        mejor = min(mejor, time.perf_counter() - inicio)
    return mejor


def plan(carpeta: Path, compromisos: int, copias: int) -> tuple[Path, Path]:
    """El texto del plan y su paquete de datos (escrito con ``analisis parse``)."""
    texto = carpeta / f"plan_{compromisos}x{copias}.txt"
    texto.write_text(sintetico.generar(compromisos, copias), encoding="utf-8")
    paquete = carpeta / f"paquete_{compromisos}x{copias}"
    subprocess.run([str(BIN / "analisis"), "parse", str(texto), "--out", str(paquete)], check=True, capture_output=True)
    return texto, paquete


def cpu_metricas(paquete: Path, periodo: str, repeticiones: int) -> tuple[float, int, int]:
    """Mejor tiempo de CPU de ``calcular`` en un proceso nuevo, con hitos y avances del plan."""
    codigo = f"""
import json, time
from analisis.lectura.paquete import leer_paquete
from analisis.evaluacion.calculo import calcular
from analisis.evaluacion.evaluacion import Evaluacion
t = leer_paquete({str(paquete)!r})
ev = Evaluacion.desde_textos({periodo!r}, None, None)
mejor = float("inf")
for _ in range({repeticiones}):
    inicio = time.process_time()
    calcular(t, ev)
    mejor = min(mejor, time.process_time() - inicio)
print(json.dumps([mejor, len(t.hitos), len(t.avances)]))
"""
    salida = subprocess.run([sys.executable, "-c", codigo], check=True, capture_output=True, text=True).stdout
    segundos, hitos, avances = json.loads(salida)
    return segundos, hitos, avances


def _rss_arbol(proceso: psutil.Process) -> int:
    total = 0
    for p in [proceso, *proceso.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def informe(texto: Path, salida: Path, periodo: str) -> dict:
    """Tiempo, memoria y páginas de ``analisis informe`` en frío sobre ``texto``."""
    orden = [str(BIN / "analisis"), "informe", "--periodo", periodo, "--fuente", str(texto), "--salida", str(salida)]
    pico = 0
    inicio = time.perf_counter()
    proceso = subprocess.Popen(orden, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    vigilado = psutil.Process(proceso.pid)
    terminado = threading.Event()

    def muestrear() -> None:
        nonlocal pico
        while not terminado.is_set():
            try:
                pico = max(pico, _rss_arbol(vigilado))
            except psutil.Error:
                pass
            terminado.wait(0.1)

    hilo = threading.Thread(target=muestrear, daemon=True)
    hilo.start()
    _, errores = proceso.communicate()
    segundos = time.perf_counter() - inicio
    terminado.set()
    hilo.join()
    if proceso.returncode != 0:
        raise SystemExit(f"analisis informe falló con {texto}:\n{errores}")
    pdf = next(salida.rglob("*.pdf"))
    return {
        "segundos": segundos,
        "pico_arbol": pico,
        # ru_maxrss de los hijos: el mayor proceso terminado hasta ahora (en KB en Linux).
        "pico_proceso": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "paginas": paginas_pdf(pdf),
    }


def paginas_pdf(pdf: Path) -> int:
    try:
        salida = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", salida, re.M).group(1))
    except (OSError, subprocess.CalledProcessError, AttributeError):
        # Sin poppler: cuenta los objetos de página del PDF.
        return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compromisos", type=int, nargs="+", default=[6, 50, 500])
    parser.add_argument("--copias", type=int, nargs=2, default=[5, 50], metavar=("POCAS", "MUCHAS"))
    parser.add_argument("--repeticiones", type=int, default=3)
    parser.add_argument("--periodo", default="2025-T2")
    parser.add_argument("--sin-informe", action="store_true", help="solo las métricas, sin ejecutar el informe")
    args = parser.parse_args(argv)
    tamanios = sorted(set(args.compromisos) | {REFERENCIA})

    with tempfile.TemporaryDirectory(prefix="bench_escala_") as temporal:
        carpeta = Path(temporal)
        unidad = papermill_minimo(carpeta, args.repeticiones)
        print(f"papermill, cuaderno de una celda (unidad): {unidad:.2f} s\n")

        planes, filas = {}, {}
        for n in tamanios:
            planes[n] = plan(carpeta, n, 1)
            filas[n] = cpu_metricas(planes[n][1], args.periodo, args.repeticiones)
        referencia = filas[REFERENCIA][0] / filas[REFERENCIA][1]
        print(f"metricas por hito (CPU, mejor de {args.repeticiones}; objetivo a 500: ≤ 1,5× el de {REFERENCIA})")
        print(f"{'compromisos':>11} {'hitos':>6} {'avances':>8} {'total':>8} {'por hito':>9} {'× 50':>6}")
        for n in tamanios:
            segundos, hitos, avances = filas[n]
            print(
                f"{n:>11} {hitos:>6} {avances:>8} {segundos:>7.2f}s {segundos / hitos * 1000:>7.2f}ms"
                f" {segundos / hitos / referencia:>5.2f}×"
            )

        pocas, muchas = args.copias
        print(f"\nmetricas por avance, {REFERENCIA} compromisos (CPU, mejor de {args.repeticiones})")
        por_avance = {}
        for k in (pocas, muchas):
            _, paquete = plan(carpeta, REFERENCIA, k)
            segundos, hitos, avances = cpu_metricas(paquete, args.periodo, args.repeticiones)
            por_avance[k] = segundos / avances
            print(f"  {k:>3} copias: {avances:>6} avances, {segundos:6.2f} s, {por_avance[k] * 1e6:7.1f} µs por avance")
        print(f"  {muchas} copias / {pocas} copias: {por_avance[muchas] / por_avance[pocas]:.2f}× (objetivo ≤ 1,5×)")

        if args.sin_informe:
            return 0
        print(f"\nanalisis informe --periodo {args.periodo} en frío (unidad: {unidad:.2f} s)")
        print(f"{'compromisos':>11} {'tiempo':>8} {'× unidad':>9} {'pico (todos)':>13} {'pico (mayor)':>13} {'páginas':>8} {'pág./compr.':>12}")
        for n in args.compromisos:
            r = informe(planes[n][0], carpeta / f"informe_{n}", args.periodo)
            print(
                f"{n:>11} {r['segundos']:>7.1f}s {r['segundos'] / unidad:>8.1f}× {_mb(r['pico_arbol']):>13} "
                f"{_mb(r['pico_proceso']):>13} {r['paginas']:>8} {r['paginas'] / n:>12.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
