"""Devolver al sistema la memoria que un proceso ya liberó.

Python suelta los objetos, pero el asignador de glibc se queda con las páginas
libres de su montón para reutilizarlas: tras maquetar una tabla de miles de
filas o ejecutar el cronograma de 500 compromisos, el proceso sigue ocupando
cientos de MB que ya no usa, y se suman a los de los demás procesos del
informe. ``malloc_trim(0)`` las devuelve; no cambia ningún resultado.
"""

from __future__ import annotations

import ctypes


def devolver_memoria() -> bool:
    """Devuelve al sistema las páginas libres del montón (glibc); ``False`` si la libc no sabe hacerlo.

    Cuesta milisegundos (recorre el montón, no los objetos de Python). En
    otras bibliotecas de C (macOS, musl, Windows) no existe y no hace nada.
    """
    try:
        recortar = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return False
    recortar(0)
    return True
