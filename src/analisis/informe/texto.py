"""Texto para quien lee: el de los datos, inerte (sin controles bidireccionales), y cantidades con su plural.

Un carácter como U+202E (RIGHT-TO-LEFT OVERRIDE) no se ve, pero invierte el
orden del texto que lo sigue: en una celda, «Ministerio‮ de Salud» se leería
al revés y podría hacer pasar un nombre por otro. El tablero es una fuente
externa, así que en el HTML, el PDF y los gráficos cada uno de estos caracteres
se sustituye por su código visible («[U+202E]»): quien lee el informe ve que
estaba ahí, y el texto de alrededor se muestra en su orden.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

# Marcas y controles de dirección de Unicode (UAX #9): ALM, LRM, RLM, LRE, RLE,
# PDF, LRO, RLO, LRI, RLI, FSI, PDI.
CONTROLES_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_VISIBLES = {ord(c): f"[U+{ord(c):04X}]" for c in CONTROLES_BIDI}


def neutralizar_bidi(texto: str) -> str:
    """``texto`` con cada control bidireccional cambiado por su código visible."""
    return texto.translate(_VISIBLES)


def cantidad(numero: int, singular: str, plural: str) -> str:
    """``cantidad(1, "hito", "hitos")`` → «1 hito»; con cualquier otro número, el plural."""
    return f"{numero} {singular if numero == 1 else plural}"


def redondeado(valor: float, decimales: int) -> str:
    """``valor`` con ``decimales`` cifras, redondeando la mitad hacia arriba (70.5 → «71», 46.25 → «46.3»).

    Python redondea la mitad al par (``f"{70.5:.0f}"`` da «70»), y así 70.5 y
    69.67 se verían iguales en un gráfico; quien lee un informe espera el
    redondeo escolar. Se parte del decimal más corto que representa el número
    (``repr``), no de su valor binario exacto.
    """
    cuanto = Decimal(1).scaleb(-decimales)
    return str(Decimal(repr(float(valor))).quantize(cuanto, rounding=ROUND_HALF_UP))


def porcentaje(valor: float | None, decimales: int = 1, *, fraccion: bool = False) -> str:
    """Porcentaje para mostrar: ``50`` → «50.0 %»; ausente (None o NaN) → «—».

    ``valor`` está en puntos porcentuales, como en el tablero; con
    ``fraccion=True`` es una proporción (``0.5`` → «50.0 %»). Punto decimal,
    como el tablero, y un espacio de no separación antes de «%» (norma de la
    RAE) para que el signo no quede solo al partir la línea.
    """
    if valor is None:
        return "—"
    numero = float(valor)
    if math.isnan(numero):
        return "—"
    return f"{redondeado(numero * 100 if fraccion else numero, decimales)}\u00a0%"


def publicado(valor: float | None) -> str:
    """Un porcentaje tal como lo publica el tablero (8.34, 41.7, 87), sin «%»: ausente → «—».

    Es un dato ajeno, no una cifra nuestra: se muestra con sus decimales (hasta
    dos) y sin ceros de relleno, igual en las tablas, las fichas y la síntesis,
    para que «69.67» no aparezca como «69.7» en otro lugar del mismo informe.
    """
    if valor is None or math.isnan(float(valor)):
        return "—"
    return redondeado(float(valor), 2).rstrip("0").rstrip(".")


def porcentaje_publicado(valor: float | None) -> str:
    """:func:`publicado` con «\u00a0%» (``69.67`` → «69.67 %»)."""
    texto = publicado(valor)
    return texto if texto == "—" else f"{texto}\u00a0%"
