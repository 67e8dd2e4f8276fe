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
from ..errores import AnalisisError, AvisoCodificacion, motivo_sistema
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
    "invalid %(type)s value: %(value)r": "valor no válido: %(value)r (se esperaba un %(type)s)",
}
# Nombres de los tipos de argparse en los mensajes («se esperaba un número entero»).
_TIPOS = {"int": "número entero", "float": "número"}
argparse._ = lambda texto: _TRADUCCIONES.get(texto, texto)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """Un error de la línea de órdenes es una sola línea (sin el bloque «uso:»), con estado 2.

    Es la misma forma que los demás errores de la CLI; la ayuda completa sigue a
    un ``--help`` de distancia, y el mensaje lo dice.
    """

    def error(self, message: str):  # noqa: D102 (interfaz de argparse)
        for ingles, espanol in _TIPOS.items():
            message = message.replace(f"se esperaba un {ingles})", f"se esperaba un {espanol})")
        self.exit(2, f"{self.prog}: error: {message} (ayuda: {self.prog} --help)\n")


def construir_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    except OSError as exc:
        # Un fallo del sistema (disco lleno, permisos cambiados a mitad) no es un
        # error de la entrada: estado 1, pero también en una línea y sin traza.
        donde = f"{exc.filename}: " if exc.filename else ""
        print(f"analisis: error del sistema: {donde}{motivo_sistema(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("analisis: interrumpido", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
