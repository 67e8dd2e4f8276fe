"""Orden ``analisis metricas``: métricas de evaluación a una fecha de corte.

    analisis metricas --datos DIR (--corte AAAA-MM-DD | --periodo P) [--criterio C] [--valoraciones ARCHIVO] --out DIR

Lee el paquete de datos escrito por ``analisis parse`` y escribe en ``--out``
las tablas de :func:`analisis.metricas.calcular_todo` más ``parametros.json``
(corte, periodo, criterio y huella del archivo crudo, para saber de dónde sale
cada cifra). Con ``--valoraciones``, las métricas de hitos y compromisos llevan
además lo valorado por el evaluador, las alertas incluyen
``valoracion_sin_respaldo`` y ``parametros.json`` registra el nombre y el
SHA-256 del archivo de valoraciones. La escritura es atómica: todos los archivos o ninguno.

Los parámetros se validan aquí, y no con las opciones de argparse, para que
todos los errores salgan en español y con el estado 2 de los errores previstos.
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errores import ErrorParametro
from ..evaluacion.criterios import CRITERIO_POR_DEFECTO, CRITERIOS, nombre_criterio
from ..evaluacion.periodos import FORMATOS_PERIODO

__all__ = ["agregar_subcomando", "ejecutar"]


def agregar_subcomando(subparsers) -> argparse.ArgumentParser:
    """Registra ``metricas`` en los subcomandos de la CLI principal."""
    p = subparsers.add_parser(
        "metricas",
        help="calcula métricas de evaluación y alertas a una fecha de corte o al cierre de un periodo",
        description=(
            "Calcula el avance de hitos, compromisos e instituciones, el rezago de reporte, la "
            "participación y las alertas de calidad con los avances registrados hasta el corte."
        ),
    )
    p.add_argument("--datos", metavar="DIR", help="paquete de datos escrito por «analisis parse» (obligatorio)")
    p.add_argument("--corte", metavar="AAAA-MM-DD", help="fecha de corte: cuenta todo lo registrado hasta el final de ese día")
    p.add_argument("--periodo", metavar="P", help=f"periodo de informe: {FORMATOS_PERIODO}; el corte es su último día")
    p.add_argument(
        "--criterio",
        metavar="C",
        help=f"avance de un hito: {', '.join(CRITERIOS)} (por omisión {CRITERIO_POR_DEFECTO})",
    )
    p.add_argument(
        "--valoraciones",
        metavar="ARCHIVO",
        help="valoraciones del evaluador (CSV de «analisis valoraciones plantilla»): se muestran junto a lo reportado y lo recalculado",
    )
    p.add_argument("--out", "--salida", dest="out", metavar="DIR", help="carpeta de salida de las tablas (obligatorio)")
    p.set_defaults(funcion=ejecutar)
    return p


def ejecutar(args: argparse.Namespace) -> int:
    """Ejecuta la orden; los errores previstos se propagan como :class:`AnalisisError`."""
    # Importación diferida: pandas solo hace falta al calcular.
    from ..escritura import validar_carpeta_salida
    from ..evaluacion.calculo import calcular, escribir_metricas
    from ..evaluacion.evaluacion import Evaluacion
    from ..evaluacion.periodos import inicio_del_plan
    from ..lectura.paquete import leer_paquete

    if args.datos is None:
        raise ErrorParametro("falta --datos DIR (el paquete de datos escrito por «analisis parse»)")
    if args.out is None:
        raise ErrorParametro("falta --out DIR (la carpeta donde escribir las tablas)")
    if args.corte and args.periodo:
        raise ErrorParametro("indique --corte o --periodo, no ambos")
    if not (args.corte or args.periodo):
        raise ErrorParametro(f"falta --corte AAAA-MM-DD o --periodo ({FORMATOS_PERIODO})")
    ev = Evaluacion.desde_textos(args.periodo, args.corte, args.criterio)
    corte, periodo, criterio = ev.corte, ev.periodo, ev.criterio
    salida = validar_carpeta_salida(args.out, "--out")

    tablas = leer_paquete(args.datos)
    ev.comprobar_inicio_del_plan(
        inicio_del_plan(tablas.hitos["fecha_inicio"], tablas.avances["fecha_registro"]), str(args.datos)
    )
    valoraciones = None
    if args.valoraciones is not None:
        from .valoraciones import leer_valoraciones_de_paquete

        valoraciones = leer_valoraciones_de_paquete(args.valoraciones, tablas)
    resultado = calcular(tablas, ev, valoraciones=valoraciones)
    parametros = {**ev.parametros(), "fuente": tablas.fuente, "analisis_version": __version__}
    if valoraciones is not None:
        parametros["valoraciones"] = {"archivo": valoraciones.archivo, "sha256": valoraciones.sha256}
    escribir_metricas(resultado, salida, parametros)
    alertas = len(resultado["alertas"])
    print(
        f"analisis: métricas al corte {corte.isoformat()}"
        + (f" (periodo {periodo.etiqueta})" if periodo else "")
        + f", criterio «{nombre_criterio(criterio)}»: {len(resultado['metricas_hitos'])} hitos, "
        f"{len(resultado['metricas_compromisos'])} compromisos, {alertas} alertas; "
        f"{len(resultado) + 1} archivos escritos en {salida}",
        file=sys.stderr,
    )
    return 0
