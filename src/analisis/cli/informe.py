"""Orden ``analisis informe``: paquete de datos → cuadernos ejecutados, HTML y PDF por periodo."""

from __future__ import annotations

import argparse

from ..errores import ErrorParametro
from ..lectura.rutas import PAQUETE_INCLUIDO


def agregar_subcomando(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "informe",
        help="ejecuta los cuadernos de un periodo y genera sus informes HTML y PDF",
        description=(
            "Ejecuta los cuadernos de notebooks/ con papermill para un periodo sobre un paquete de datos y "
            "escribe en <salida>/<periodo>/ los cuadernos ejecutados, una página HTML por cuaderno, un informe "
            "PDF, las tablas de métricas y la copia del paquete. Una segunda ejecución sin cambios reutiliza el "
            "resultado. Solo reemplaza lo que analisis creó en la carpeta de salida."
        ),
    )
    grupo = p.add_mutually_exclusive_group(required=True)
    grupo.add_argument("--periodo", metavar="P", help="2025-T1 (trimestre), 2025-S1 (semestre), 2025 (año) o 2025-03 (mes)")
    grupo.add_argument("--todos", action="store_true", help="todos los trimestres con avances registrados")
    datos = p.add_mutually_exclusive_group()
    datos.add_argument(
        "--datos", metavar="DIR", default=None,
        help=f"paquete de datos escrito por «analisis parse» (por omisión {PAQUETE_INCLUIDO})",
    )
    datos.add_argument(
        "--fuente", metavar="RAW", default=None,
        help=f"texto crudo del tablero: se analiza una vez (o se reutiliza {PAQUETE_INCLUIDO} si registra su mismo SHA-256)",
    )
    p.add_argument(
        "--valoraciones", metavar="ARCHIVO", default=None,
        help="valoraciones del evaluador del periodo (CSV de «analisis valoraciones plantilla»): el informe muestra "
        "lo reportado, lo recalculado y lo valorado, y su SHA-256 en el apéndice",
    )
    p.add_argument("--salida", default="reports", metavar="DIR", help="carpeta de informes (por omisión reports/)")
    p.add_argument("--corte", default=None, metavar="AAAA-MM-DD", help="fecha de corte (por omisión, el último día del periodo)")
    p.add_argument("--criterio", default=None, metavar="C", help="avance de un hito: ultimo, maximo o suma (por omisión ultimo)")
    # Sin type=int: se valida en ejecutar, para que el error sea el de la CLI (estado 2, en español).
    p.add_argument("--trabajos", default="2", metavar="N", help="cuadernos ejecutados en paralelo, cada uno en un núcleo que sirve a todos los periodos (por omisión 2)")
    p.set_defaults(funcion=ejecutar)


def entero_positivo(texto: str) -> int:
    """Valor de ``--trabajos``: solo dígitos 0-9 (``int`` aceptaría «２», « 2 » o «1_0»), al menos 1."""
    if not (texto.isascii() and texto.isdigit()) or len(texto) > 3 or int(texto) < 1:
        raise ErrorParametro(f"--trabajos debe ser un número entero de 1 a 999 escrito con dígitos 0-9, no «{texto}»")
    return int(texto)


def ejecutar(args: argparse.Namespace) -> int:
    from ..escritura import validar_carpeta_salida
    from ..evaluacion.evaluacion import Evaluacion
    from ..informe.generar import (
        generar_periodos,
        paquete_de_carpeta,
        paquete_de_fuente,
        periodos_con_datos,
        valoraciones_de_archivo,
    )
    from ..informe.parametros import cuadernos_plantilla

    trabajos = entero_positivo(args.trabajos)
    if args.todos and args.corte:
        raise ErrorParametro("--corte no se puede usar con --todos: cada periodo usa su último día")
    if args.todos and args.valoraciones:
        raise ErrorParametro("--valoraciones no se puede usar con --todos: una valoración juzga un periodo")
    validar_carpeta_salida(args.salida, "--salida")
    cuadernos = cuadernos_plantilla()
    # Se validan todos los parámetros antes de leer datos ni ejecutar nada.
    if not args.todos:
        evaluaciones = [Evaluacion.desde_textos(args.periodo, args.corte, args.criterio)]
    else:
        Evaluacion.desde_textos("2025", None, args.criterio)  # solo valida el criterio
    if args.fuente is not None:
        paquete = paquete_de_fuente(args.fuente, reutilizable=PAQUETE_INCLUIDO)
        origen = args.fuente
    else:
        origen = args.datos or PAQUETE_INCLUIDO
        paquete = paquete_de_carpeta(origen)
    if not args.todos:
        evaluaciones[0].comprobar_inicio_del_plan(paquete.inicio_del_plan(), origen)
    valoraciones = valoraciones_de_archivo(args.valoraciones, paquete) if args.valoraciones else None
    if args.todos:
        periodos = periodos_con_datos(paquete)
        if not periodos:
            raise ErrorParametro(f"{origen}: no hay avances registrados, no hay periodos que informar")
        evaluaciones = [Evaluacion.desde_textos(p, None, args.criterio) for p in periodos]
    # Un solo grupo de núcleos para todos los periodos (con --todos, los núcleos arrancan una vez).
    generar_periodos(evaluaciones, paquete, args.salida, trabajos=trabajos, cuadernos=cuadernos, valoraciones=valoraciones)
    return 0
