"""Etiquetas legibles y definiciones de los códigos del análisis (``datos/glosario.csv``).

Estados, niveles de cumplimiento, tipos de serie, criterios, tipos de alerta,
resultados de la comprobación de un enlace y estados del campo «Medios de
verificación» tienen un identificador sin tildes (``ultimo``,
``porcentaje_difiere``, ``sin_etiqueta``) que es el que va en las tablas; lo que
ve el lector sale de aquí. La tabla es un dato: corregir una etiqueta o añadir
un tipo no toca el código.

Solo usa la biblioteca estándar: la CLI la importa al validar el criterio.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ARCHIVO = Path(__file__).resolve().parents[1] / "datos" / "glosario.csv"

#: Categorías del glosario en el orden en que se presentan, con su título.
CATEGORIAS = {
    "estado": "Estado de un hito",
    # Sale solo del porcentaje recalculado: que nadie lo lea como el juicio de quien evalúa.
    "nivel": "Nivel de cumplimiento (sale solo del porcentaje recalculado; no es una valoración del IRM)",
    "serie": "Tipo de serie de porcentajes",
    "criterio": "Criterio de avance de un hito",
    "alerta": "Tipos de alerta",
    "enlace": "Comprobación de un enlace de evidencia",
    "medios": "«Medios de verificación» de un avance",
}


@dataclass(frozen=True)
class Termino:
    categoria: str
    clave: str
    etiqueta: str
    definicion: str


@lru_cache(maxsize=1)
def terminos() -> tuple[Termino, ...]:
    """Todos los términos, en el orden del archivo."""
    with ARCHIVO.open(encoding="utf-8", newline="") as f:
        return tuple(Termino(**fila) for fila in csv.DictReader(f))


def etiqueta(categoria: str, clave: str) -> str:
    """Etiqueta legible de ``clave``; la propia clave si el glosario no la tiene.

    Devolver la clave (y no fallar) deja ver un código nuevo aún sin etiqueta
    en vez de romper un informe; la prueba del glosario exige que estén todos.
    """
    for t in terminos():
        if t.categoria == categoria and t.clave == clave:
            return t.etiqueta
    return clave


def etiquetas(categoria: str) -> dict[str, str]:
    """``{clave: etiqueta}`` de una categoría."""
    return {t.clave: t.etiqueta for t in terminos() if t.categoria == categoria}
