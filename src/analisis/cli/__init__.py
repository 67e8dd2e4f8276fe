"""Línea de órdenes ``analisis``.

Cada subcomando valida sus parámetros antes de tocar nada y, ante un error
previsto (:class:`AnalisisError`), imprime una sola línea en español por la
salida de errores y termina con estado 2, sin escribir salidas a medias.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from .. import __version__
from ..errores import AnalisisError, AvisoCodificacion
from . import capturar, enlaces, informe, metricas, parse, valoraciones

# argparse toma sus textos fijos («usage:», «options», mensajes de error) de
# gettext en tiempo de ejecución; sin catálogo instalado saldrían en inglés.
# Se traducen aquí los que ve quien usa la CLI.
_TRADUCCIONES = {
    "usage: ": "uso: ",
    "options": "opciones",
    "positional arguments": "argumentos posicionales",
    "show this help message and exit": "muestra esta ayuda y termina",
    "show program's version number and exit": "muestra la versión y termina",
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "the following arguments are required: %s": "faltan los argumentos obligatorios: %s",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elija entre %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "expected one argument": "se esperaba un valor",
    "not allowed with argument %s": "no se puede usar junto con %s",
    "one of the arguments %s is required": "hace falta uno de los argumentos %s",
    "invalid %(type)s value: %(value)r": "valor %(type)s no válido: %(value)r",
}
argparse._ = lambda texto: _TRADUCCIONES.get(texto, texto)  # type: ignore[attr-defined]


def construir_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analisis",
        description="Evaluación independiente del avance de planes de acción de Gobierno Abierto.",
    )
    parser.add_argument("--version", action="version", version=f"analisis {__version__}", help="muestra la versión y termina")
    sub = parser.add_subparsers(dest="orden", required=True, metavar="ORDEN")

    # Cada orden vive en su módulo; todos importan lo pesado solo al ejecutarse.
    for orden in (capturar, parse, metricas, valoraciones, enlaces, informe):
        orden.agregar_subcomando(sub)
    return parser


def _avisos_en_una_linea(previo):
    """showwarning que muestra los avisos del paquete (codificación) en una línea en español y el resto como ``previo``."""

    def mostrar(mensaje, categoria, *resto, **opciones) -> None:
        if issubclass(categoria, AvisoCodificacion):
            print(f"analisis: aviso: {mensaje}", file=sys.stderr)
        else:
            previo(mensaje, categoria, *resto, **opciones)

    return mostrar


def main(argv: list[str] | None = None) -> int:
    parser = construir_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", AvisoCodificacion)
            warnings.showwarning = _avisos_en_una_linea(warnings.showwarning)
            return args.funcion(args) if hasattr(args, "funcion") else args.ejecutar(args)
    except AnalisisError as exc:
        print(f"analisis: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("analisis: interrumpido", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
