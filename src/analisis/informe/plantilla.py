"""Un solo entorno Jinja para todas las plantillas HTML de ``informe/plantillas/``.

El HTML que ven los lectores (piezas de los cuadernos, fichas, apéndice,
índice) sale de plantillas y no de cadenas armadas en el código: así el
marcado se lee en un solo sitio y todo texto variable pasa por el escape
automático. Además, cada valor que se imprime con ``{{ … }}`` pasa por
:func:`analisis.informe.texto.neutralizar_bidi`: el tablero es una fuente
externa y un carácter de control bidireccional no debe reordenar lo que se lee.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

from .texto import neutralizar_bidi

PLANTILLAS = Path(__file__).resolve().parent / "plantillas"


def _finalizar(valor: object) -> object:
    # Markup ya es HTML de confianza (p. ej. una macro); el texto se vuelve inerte.
    if isinstance(valor, str) and not isinstance(valor, markupsafe.Markup):
        return neutralizar_bidi(valor)
    return valor


def _lineas(valor: object) -> markupsafe.Markup:
    """Texto escapado con cada salto de línea como ``<br>`` (celdas de tablas con texto de varias líneas)."""
    return markupsafe.Markup("<br>").join(markupsafe.escape(neutralizar_bidi(str(valor))).split("\n"))


@lru_cache(maxsize=1)
def entorno() -> jinja2.Environment:
    """El entorno compartido: escape automático, variables indefinidas como error, bloques sin líneas sobrantes."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PLANTILLAS),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalizar,
    )
    env.filters["lineas"] = _lineas
    return env


def renderizar(nombre: str, **contexto: object) -> str:
    """El HTML de la plantilla ``nombre`` con ``contexto``."""
    return entorno().get_template(nombre).render(**contexto)


def macros(nombre: str):
    """Las macros de la plantilla ``nombre``, invocables desde Python (devuelven ``Markup``)."""
    return entorno().get_template(nombre).module
