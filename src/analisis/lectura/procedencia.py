"""De dónde y cuándo se capturó el tablero, para la portada del informe.

Los datos salen de ``capturas.csv`` del paquete (ver :mod:`analisis.lectura.capturas`):
aquí solo vive la forma en que se muestran.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Procedencia:
    url: str  # "" si la captura no registra ninguna
    captura: str  # texto para el lector: fecha ISO, o «desconocida (posterior a …)»
