"""Orden ``analisis valoraciones``: la plantilla del evaluador y su validación.

    analisis valoraciones plantilla --datos DIR --out ARCHIVO.csv [--corte AAAA-MM-DD | --periodo P] [--criterio C]
    analisis valoraciones validar ARCHIVO.csv --datos DIR

``plantilla`` escribe una fila por compromiso y por hito del paquete, con la
completitud que sugieren los datos y las columnas del evaluador vacías; nunca
reemplaza un archivo existente, porque podría tener valoraciones hechas.
``validar`` comprueba un archivo rellenado frente al esquema y al paquete y
termina con estado 2 en el primer error, nombrando archivo, línea y columna.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errores import ErrorParametro
from ..evaluacion.criterios import CRITERIO_POR_DEFECTO, CRITERIOS, nombre_criterio
from ..informe.texto import cantidad
from ..evaluacion.periodos import FORMATOS_PERIODO

__all__ = ["agregar_subcomando"]


def agregar_subcomando(sub) -> None:
    p = sub.add_parser(
        "valoraciones",
        help="plantilla y validación del archivo de valoraciones del evaluador",
        description=(
            "Las valoraciones son el juicio del evaluador (completitud, potencial, resultados y evidencia, "
            "con la escala del IRM), guardadas aparte de las capturas del tablero."
        ),
    )
    acciones = p.add_subparsers(dest="accion", required=True, metavar="ACCIÓN")

    pl = acciones.add_parser(
        "plantilla",
        help="escribe una plantilla vacía: una fila por compromiso y por hito",
        description=(
            "Escribe un CSV con una fila por compromiso y por hito del paquete de datos. La columna "
            "completitud_sugerida (solo lectura) da el nivel que dan los datos al corte; por omisión, el día "
            "del último avance registrado. Nunca reemplaza un archivo existente."
        ),
    )
    pl.add_argument("--datos", metavar="DIR", help="paquete de datos escrito por «analisis parse» (obligatorio)")
    pl.add_argument("--out", "--salida", dest="out", metavar="ARCHIVO", help="archivo CSV que se crea; no debe existir (obligatorio)")
    pl.add_argument("--corte", metavar="AAAA-MM-DD", help="corte de la completitud sugerida (por omisión, el día del último avance)")
    pl.add_argument("--periodo", metavar="P", help=f"o un periodo ({FORMATOS_PERIODO}): el corte es su último día")
    pl.add_argument("--criterio", metavar="C", help=f"avance de un hito: {', '.join(CRITERIOS)} (por omisión {CRITERIO_POR_DEFECTO})")
    pl.set_defaults(funcion=ejecutar_plantilla)

    va = acciones.add_parser(
        "validar",
        help="comprueba un archivo de valoraciones frente al esquema y al paquete de datos",
        description=(
            "Comprueba columnas, valores admitidos, fechas e identificadores. Las celdas vacías son «sin "
            "valorar». En el primer error termina con estado 2 nombrando archivo, línea y columna."
        ),
    )
    va.add_argument("archivo", metavar="ARCHIVO", help="archivo CSV de valoraciones")
    va.add_argument("--datos", metavar="DIR", help="paquete de datos evaluado (obligatorio)")
    va.set_defaults(funcion=ejecutar_validar)


def _paquete(args: argparse.Namespace):
    from ..lectura.paquete import leer_paquete

    if not args.datos:
        raise ErrorParametro("falta --datos DIR (el paquete de datos escrito por «analisis parse»)")
    return leer_paquete(args.datos)


def leer_valoraciones_de_paquete(archivo: Path, tablas):
    """Lee y valida ``archivo`` frente a los compromisos y hitos de ``tablas``."""
    from ..lectura.valoraciones import leer_valoraciones

    return leer_valoraciones(archivo, tablas.compromisos["compromiso"], tablas.hitos["hito_id"])


def ejecutar_plantilla(args: argparse.Namespace) -> int:
    from ..escritura import escribir_archivo_nuevo
    from ..evaluacion.calculo import calcular
    from ..evaluacion.evaluacion import Evaluacion
    from ..evaluacion.valoraciones import plantilla
    from ..lectura.paquete import csv_bytes
    from ..lectura.valoraciones import columnas

    if not args.out:
        raise ErrorParametro("falta --out ARCHIVO.csv (el archivo de valoraciones que se crea)")
    salida = Path(args.out)
    if salida.is_dir():
        raise ErrorParametro(f"--out {salida}: es una carpeta; indique el archivo CSV que se crea")
    if salida.exists() or salida.is_symlink():
        raise ErrorParametro(
            f"--out {salida}: ya existe; la plantilla nunca reemplaza un archivo (puede tener valoraciones), elija otro nombre"
        )
    if args.corte and args.periodo:
        raise ErrorParametro("indique --corte o --periodo, no ambos")
    tablas = _paquete(args)
    if args.corte or args.periodo:
        ev = Evaluacion.desde_textos(args.periodo, args.corte, args.criterio)
    else:
        # Sin corte: todo lo registrado. Sin avances, cualquier día da «sin evidencia».
        registros = tablas.avances["fecha_registro"]
        ultimo = registros.max().date() if len(registros) else date(1970, 1, 1)
        ev = Evaluacion(corte=ultimo, criterio=args.criterio)
    tabla = plantilla(tablas, calcular(tablas, ev))
    try:
        escribir_archivo_nuevo(salida, csv_bytes(tabla.to_dict("records"), columnas()))
    except FileExistsError:
        raise ErrorParametro(f"--out {salida}: ya existe; la plantilla nunca reemplaza un archivo") from None
    except IsADirectoryError:
        raise ErrorParametro(f"--out {salida}: es una carpeta") from None
    compromisos = int((tabla["nivel"] == "compromiso").sum())
    print(
        f"analisis: plantilla de valoraciones con {cantidad(len(tabla), 'fila', 'filas')} "
        f"({cantidad(compromisos, 'compromiso', 'compromisos')}, {cantidad(len(tabla) - compromisos, 'hito', 'hitos')}; "
        f"completitud sugerida al corte {ev.corte.isoformat()}, criterio «{nombre_criterio(ev.criterio)}») escrita en {salida}",
        file=sys.stderr,
    )
    return 0


def ejecutar_validar(args: argparse.Namespace) -> int:
    if not args.archivo:
        raise ErrorParametro("falta el ARCHIVO de valoraciones")
    tablas = _paquete(args)
    v = leer_valoraciones_de_paquete(args.archivo, tablas)
    t = v.tabla
    evaluador = ["completitud", "potencial", "resultados", "evidencia_verificada", "nota"]
    valoradas = t[(t[evaluador] != "").any(axis=1)]
    posibles = len(tablas.compromisos) + len(tablas.hitos)
    print(
        f"analisis: {args.archivo} es válido: {len(valoradas)} de {posibles} filas valoradas "
        f"({cantidad(int((valoradas['nivel'] == 'compromiso').sum()), 'compromiso', 'compromisos')}, "
        f"{cantidad(int((valoradas['nivel'] == 'hito').sum()), 'hito', 'hitos')}); sha256 {v.sha256}",
        file=sys.stderr,
    )
    return 0
