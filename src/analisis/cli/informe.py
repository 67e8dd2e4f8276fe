"""Subcomando ``analisis informe``: cuadernos → informes HTML y PDF por periodo."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errores import ErrorParametro
from ..lectura.rutas import FUENTE_INCLUIDA


def agregar_subcomando(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "informe",
        help="ejecuta los cuadernos de un periodo y genera sus informes HTML y PDF",
        description=(
            "Ejecuta los cuadernos de notebooks/ con papermill para un periodo y escribe en "
            "<salida>/<periodo>/ los cuadernos ejecutados, una página HTML por cuaderno, un informe PDF "
            "y las tablas de métricas. Una segunda ejecución sin cambios reutiliza el resultado."
        ),
    )
    grupo = p.add_mutually_exclusive_group(required=True)
    grupo.add_argument("--periodo", metavar="P", help="2025-T1 (trimestre), 2025-S1 (semestre), 2025 (año) o 2025-03 (mes)")
    grupo.add_argument("--todos", action="store_true", help="todos los trimestres con avances registrados")
    p.add_argument("--fuente", default=FUENTE_INCLUIDA, metavar="RAW", help=f"texto crudo del tablero (por defecto {FUENTE_INCLUIDA})")
    p.add_argument("--salida", default="reports", type=Path, metavar="DIR", help="carpeta de informes (por defecto reports/)")
    p.add_argument("--corte", default="", metavar="AAAA-MM-DD", help="fecha de corte (por defecto, el último día del periodo)")
    p.add_argument("--criterio", default=None, metavar="C", help="avance de un hito: ultimo, maximo o suma (por defecto, el de los cuadernos)")
    p.add_argument("--trabajos", type=int, default=2, metavar="N", help="cuadernos ejecutados en paralelo (por defecto 2)")
    p.set_defaults(funcion=ejecutar)


def ejecutar(args: argparse.Namespace) -> int:
    from ..informe.generar import cuadernos_plantilla, generar_periodo, leer_parametros, periodos_con_datos

    if args.trabajos < 1:
        raise ErrorParametro("--trabajos debe ser al menos 1")
    cuadernos = cuadernos_plantilla()
    declarados = leer_parametros(cuadernos[0])
    # El criterio se valida con los demás parámetros en generar_periodo, antes de escribir nada.
    criterio = args.criterio or str(declarados["criterio"].defecto)
    if args.todos:
        if args.corte:
            raise ErrorParametro("--corte no se puede usar con --todos: cada periodo usa su último día")
        periodos = periodos_con_datos(args.fuente)
        if not periodos:
            raise ErrorParametro(f"{args.fuente}: no hay avances registrados, no hay periodos que informar")
    else:
        periodos = [args.periodo]
    for periodo in periodos:
        generar_periodo(
            periodo, args.fuente, args.salida, criterio=criterio, corte=args.corte,
            trabajos=args.trabajos, cuadernos=cuadernos,
        )
    return 0
