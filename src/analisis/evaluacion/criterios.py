"""Nombres de los criterios de avance de un hito (su significado está en :mod:`analisis.evaluacion.metricas`).

Módulo aparte y sin dependencias para que la CLI valide ``--criterio`` sin
importar pandas: una reejecución del informe que reutiliza la caché debe
tardar una fracción de segundo.
"""

from ..errores import ErrorParametro

CRITERIOS = ("ultimo", "maximo", "suma")
CRITERIO_POR_DEFECTO = "ultimo"


def validar_criterio(criterio: str | None) -> str:
    """El criterio en minúsculas; ``None`` (no dado) es el criterio por omisión.

    Un texto vacío es un error y no el criterio por omisión: quien escribe
    ``--criterio ""`` ha pedido algo, y no se le responde con otra cosa.
    """
    if criterio is None:
        return CRITERIO_POR_DEFECTO
    normal = str(criterio).strip().lower()
    if normal not in CRITERIOS:
        raise ErrorParametro(f"criterio no válido: «{criterio}»; use {', '.join(CRITERIOS[:-1])} o {CRITERIOS[-1]}")
    return normal


def nombre_criterio(criterio: str) -> str:
    """Nombre del criterio para el lector, con tildes: ``ultimo`` → «último».

    El identificador (parámetro, columnas, CLI) sigue sin tildes para que se
    pueda escribir en cualquier teclado.
    """
    from ..lectura.glosario import etiqueta

    return etiqueta("criterio", criterio)
