"""Orden ``analisis parse``: texto crudo del tablero → paquete de datos validado."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def agregar_subcomando(sub) -> None:
    p = sub.add_parser("parse", help="convierte el texto del tablero en un paquete de datos validado")
    p.add_argument("raw", type=Path, metavar="RAW", help="archivo de texto extraído del tablero")
    p.add_argument("--out", required=True, metavar="DIR", help="carpeta de salida del paquete de datos")
    p.set_defaults(funcion=ejecutar)


def ejecutar(args: argparse.Namespace) -> int:
    from ..escritura import validar_carpeta_salida
    from ..lectura.paquete import escribir_paquete
    from ..lectura.tablero import parsear_archivo

    validar_carpeta_salida(args.out, "--out")  # antes de leer nada: un error de salida no espera al análisis

    tablero = parsear_archivo(args.raw)
    escribir_paquete(tablero, args.out)
    print(
        f"analisis: {len(tablero.compromisos)} compromisos, {len(tablero.hitos)} hitos, "
        f"{len(tablero.avances)} avances y {len(tablero.actores)} actores escritos en {args.out}",
        file=sys.stderr,
    )
    return 0


