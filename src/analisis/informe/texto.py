"""Texto para quien lee: el de los datos, inerte (sin controles bidireccionales), y cantidades con su plural.

Un carácter como U+202E (RIGHT-TO-LEFT OVERRIDE) no se ve, pero invierte el
orden del texto que lo sigue: en una celda, «Ministerio‮ de Salud» se leería
al revés y podría hacer pasar un nombre por otro. El tablero es una fuente
externa, así que en el HTML, el PDF y los gráficos cada uno de estos caracteres
se sustituye por su código visible («[U+202E]»): quien lee el informe ve que
estaba ahí, y el texto de alrededor se muestra en su orden.
"""

from __future__ import annotations

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
