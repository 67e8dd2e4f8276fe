"""Tiempo de análisis por MB según la forma del texto, frente a registros normales.

No es una prueba. El analizador debe ser lineal: el tiempo por MB no debe
depender de cómo está repartido el texto. Se arman en memoria, con el mismo
tamaño, cuatro formas de scrape válido:

* ``normal``: registros como los del tablero real (el generador de
  ``bench_parse.py``, con su semilla fija). Es la referencia.
* ``descripcion_enorme``: un solo avance cuya descripción tiene cientos de miles
  de líneas cortas (400 000 en 8 MB).
* ``registros_diminutos``: muchísimos hitos y avances de una línea por campo.
* ``lineas_largas``: textos en líneas de 200 000 caracteres, con «:» y «;» por
  el medio (las líneas que empiezan como una etiqueta se examinan enteras).

Cada forma se mide a dos tamaños, ``--mb`` y el doble: si el análisis es lineal,
los segundos por MB de ambos tamaños coinciden (salvo el ruido de la máquina).
Se imprime el mejor tiempo de pared y de CPU de ``parsear_bytes`` (decodificar y
analizar, sin disco) entre las repeticiones, y la razón frente a ``normal`` del
mismo tamaño, medida en la misma ejecución, de pared y de CPU (en una máquina
compartida la de CPU es la que menos varía).

Con ``--comparar RUTA`` (la carpeta ``src`` de otra copia del proyecto, p. ej.
``OTRA/src``) se mide también el analizador de esa copia, alternando uno y
otro en cada repetición sobre los mismos datos, y se imprime la CPU por MB de
ambos: así «antes» y «después» se miden con la misma carga de la máquina.

Uso::

    .venv/bin/python benchmarks/bench_formas.py [--mb 8] [--repeticiones 3] [--comparar RUTA]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_parse import Generador, _material  # noqa: E402  (script hermano, no un paquete)

from analisis.lectura.tablero import parsear_bytes  # noqa: E402

MB = 1 << 20
_CABEZA = (
    "COMPROMISO 1:\nTítulo\nINSTITUCIÓN RESPONSABLE:\nMinisterio de Finanzas Públicas\n"
    "DESCRIPCIÓN:\nHito\nAVANCES\nFecha: 2025-03-05 02:48:19\n"
)


def normal(tamano: int) -> bytes:
    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "normal.txt"
        Generador(_material()).escribir(ruta, tamano)
        return ruta.read_bytes()


def descripcion_enorme(tamano: int) -> bytes:
    partes = [_CABEZA, "Descripción: inicio\n"]
    total, i = len(_CABEZA), 0
    while total < tamano:
        linea = f"paso {i} del taller\n"  # unas 20 letras: 400 000 líneas en 8 MB
        partes.append(linea)
        total += len(linea)
        i += 1
    return "".join(partes).encode("utf-8")


def registros_diminutos(tamano: int) -> bytes:
    partes = ["COMPROMISO 1:\nT\n"]
    total, i = 0, 0
    while total < tamano:
        bloque = (
            "INSTITUCIÓN RESPONSABLE:\nX\nAVANCES\n"
            f"Fecha: 2025-03-{1 + i % 28:02d} 10:00:00\nDescripción: a\nPorcentaje avance: {i % 101}%\n"
        )
        partes.append(bloque)
        total += len(bloque)
        i += 1
    return "".join(partes).encode("utf-8")


def lineas_largas(tamano: int) -> bytes:
    # «Descripción» con «:» lejos del comienzo y listas con «;»: las peores líneas
    # largas, porque empiezan con una inicial de etiqueta.
    largo = 200_000
    unidad = "Dato abierto: tabla; "
    linea = (unidad * (largo // len(unidad) + 1))[:largo]
    partes = [_CABEZA, "Descripción: inicio\n"]
    total = 0
    while total < tamano:
        partes.append(linea + "\n")
        total += largo + 1
    partes.append("Medios de verificación:\n" + ("https://datos.gob.gt/a " * 5000) + "\n")
    return "".join(partes).encode("utf-8")


FORMAS = {f.__name__: f for f in (normal, descripcion_enorme, registros_diminutos, lineas_largas)}


def medir(datos: bytes, repeticiones: int, analizadores=(parsear_bytes,)) -> list[tuple[float, float]]:
    """(pared, CPU) mínimos de cada analizador, alternándolos en cada repetición."""
    mejores = [[float("inf"), float("inf")] for _ in analizadores]
    for _ in range(repeticiones):
        for mejor, analizar in zip(mejores, analizadores):
            gc.collect()
            inicio, inicio_cpu = time.perf_counter(), time.process_time()
            analizar(datos, "forma.txt")
            mejor[0] = min(mejor[0], time.perf_counter() - inicio)
            mejor[1] = min(mejor[1], time.process_time() - inicio_cpu)
    return [(pared, cpu) for pared, cpu in mejores]


def cargar_comparado(src: str, carpeta: str):
    """``parsear_bytes`` del paquete ``analisis`` de otra copia, importado con otro nombre.

    El paquete usa importaciones relativas: copiado como ``analisis_comparado`` no
    se mezcla con el de esta copia.
    """
    shutil.copytree(Path(src) / "analisis", Path(carpeta) / "analisis_comparado")
    sys.path.insert(0, carpeta)
    return importlib.import_module("analisis_comparado.lectura.tablero").parsear_bytes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=float, default=8, help="tamaño menor de cada forma, en MB (por omisión 8)")
    p.add_argument("--repeticiones", type=int, default=3)
    p.add_argument("--comparar", metavar="RUTA", help="carpeta src de otra copia del proyecto, medida alternando con esta")
    args = p.parse_args(argv)
    if args.comparar:
        with tempfile.TemporaryDirectory() as carpeta:
            return comparar(args, cargar_comparado(args.comparar, carpeta))
    print(f"Mejor de {args.repeticiones} repeticiones de parsear_bytes (pared; CPU entre paréntesis)")
    print(f"{'forma':<21}{'MB':>6}{'líneas':>10}{'s/MB pared':>12}{'s/MB CPU':>10}{'× normal':>10}{'× (CPU)':>9}")
    for factor in (1, 2):
        tamano = int(args.mb * factor * MB)
        base = base_cpu = None
        for nombre, hacer in FORMAS.items():
            datos = hacer(tamano)
            megas = len(datos) / MB
            [(pared, cpu)] = medir(datos, args.repeticiones)
            lineas = datos.count(b"\n")
            por_mb, cpu_mb = pared / megas, cpu / megas
            if base is None:
                base, base_cpu = por_mb, cpu_mb
            print(
                f"{nombre:<21}{megas:>6.1f}{lineas:>10}{por_mb:>12.4f}{cpu_mb:>10.4f}"
                f"{por_mb / base:>9.2f}×{cpu_mb / base_cpu:>8.2f}×"
            )
    return 0


def comparar(args: argparse.Namespace, otro) -> int:
    print(f"Mejor de {args.repeticiones} repeticiones de parsear_bytes, CPU por MB; «otra»: {args.comparar}")
    print(f"{'forma':<21}{'MB':>6}{'líneas':>10}{'otra':>9}{'esta':>9}{'× normal otra':>15}{'× normal esta':>15}")
    for factor in (1, 2):
        tamano = int(args.mb * factor * MB)
        base = None
        for nombre, hacer in FORMAS.items():
            datos = hacer(tamano)
            megas = len(datos) / MB
            (_, cpu_otra), (_, cpu_esta) = medir(datos, args.repeticiones, (otro, parsear_bytes))
            otra, esta = cpu_otra / megas, cpu_esta / megas
            lineas = datos.count(b"\n")
            if base is None:
                base = (otra, esta)
            print(
                f"{nombre:<21}{megas:>6.1f}{lineas:>10}{otra:>9.4f}{esta:>9.4f}"
                f"{otra / base[0]:>14.2f}×{esta / base[1]:>14.2f}×"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
