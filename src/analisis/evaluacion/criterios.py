"""Nombres de los criterios de avance de un hito (su significado está en :mod:`analisis.metricas`).

Módulo aparte y sin dependencias para que la CLI valide ``--criterio`` sin
importar pandas: una reejecución del informe que reutiliza la caché debe
tardar una fracción de segundo.
"""

CRITERIOS = ("ultimo", "maximo", "suma")
CRITERIO_POR_DEFECTO = "ultimo"
