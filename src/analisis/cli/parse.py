"""Orden ``analisis parse``: capturas del tablero → paquete de datos validado.

    analisis parse RAW [RAW ...] --out DIR

RAW es un archivo de texto del tablero (como siempre), una carpeta de plan
(``data/raw/<plan>/``, todas sus capturas) o varios archivos de captura. Con
más de una captura el paquete lleva además su historial: ``capturas.csv``,
``reportados.csv`` y ``cambios.csv`` (ver :mod:`analisis.lectura.historial`).
De una carpeta de plan copia además todas las comprobaciones de enlaces de su
subcarpeta ``enlaces/`` (las escribe ``analisis enlaces``) en ``enlaces.csv``;
sin esa subcarpeta, ``enlaces.csv`` va vacío (solo la cabecera).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def agregar_subcomando(sub) -> None:
    p = sub.add_parser(
        "parse",
        aliases=["analizar"],
        help="convierte el texto del tablero (una o varias capturas) en un paquete de datos validado",
        description=(
            "Lee una captura del tablero, varias, o la carpeta de un plan (data/raw/<plan>/) con sus capturas y "
            "comprobaciones de enlaces, y escribe en --out un paquete de datos (Frictionless): las tablas en CSV, "
            "su esquema en datapackage.json, el historial de cambios entre capturas y la línea del texto crudo de "
            "la que sale cada fila. Solo reemplaza archivos que ella misma escribió; un error de la entrada no "
            "escribe nada."
        ),
    )
    p.add_argument(
        "raw", type=Path, nargs="+", metavar="RAW",
        help="archivo de texto extraído del tablero, carpeta de un plan con sus capturas, o varias capturas",
    )
    p.add_argument("--out", "--salida", dest="out", required=True, metavar="DIR", help="carpeta de salida del paquete de datos")
    p.set_defaults(funcion=ejecutar)


def ejecutar(args: argparse.Namespace) -> int:
    from ..escritura import validar_carpeta_salida
    from ..lectura.historial import historial_de
    from ..lectura.paquete import escribir_paquete

    validar_carpeta_salida(args.out, "--out")  # antes de leer nada: un error de salida no espera al análisis

    historial = historial_de(args.raw)
    escribir_paquete(historial, args.out)
    t = historial.actual
    capturas = len(historial.capturas)
    detalle = (
        f" de {capturas} capturas ({len(historial.cambios)} cambios entre ellas; tablas de la más reciente)"
        if capturas > 1 else ""
    )
    n_archivos = len(historial.archivos_enlaces)
    enlaces = (
        f"; {len(historial.enlaces)} comprobaciones de enlaces de {n_archivos} "
        f"{'archivo' if n_archivos == 1 else 'archivos'} de observación"
        if n_archivos else ""
    )
    print(
        f"analisis: {len(t.compromisos)} compromisos, {len(t.hitos)} hitos, "
        f"{len(t.avances)} avances y {len(t.actores)} actores{detalle} escritos en {args.out}{enlaces}",
        file=sys.stderr,
    )
    return 0
