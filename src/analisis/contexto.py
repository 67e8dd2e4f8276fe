"""Contexto de un informe: datos, periodo, corte y métricas, preparado una vez por cuaderno.

Cada cuaderno empieza con ``ctx = preparar(periodo, corte, fuente, criterio)``
tras su celda de parámetros; así todos los cuadernos parten de las mismas
tablas y las mismas métricas, y un cuaderno se puede ejecutar solo, en
JupyterLab, sin depender de que otro haya corrido antes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from .exceptions import ErrorParametro
from .paquete import Tablas
from .periodos import Periodo, parsear_periodo, periodo_anterior
from .rutas import resolver_fuente
from .tablero import parsear_archivo


@dataclass
class Contexto:
    periodo: Periodo
    corte: date
    criterio: str
    fuente: str  # tal como se dio (relativa a la raíz del proyecto si está dentro)
    sha256: str
    tablas: Tablas

    @cached_property
    def metricas(self) -> dict[str, pd.DataFrame]:
        """Todas las tablas de métricas al corte del periodo."""
        from .metricas import calcular_todo

        return calcular_todo(self.tablas, self.corte, self.criterio, self.periodo.inicio)

    @cached_property
    def anterior(self) -> Periodo:
        return periodo_anterior(self.periodo)

    @cached_property
    def metricas_anteriores(self) -> dict[str, pd.DataFrame]:
        """Las mismas métricas al cierre del periodo anterior, para ver qué cambió."""
        from .metricas import calcular_todo

        return calcular_todo(self.tablas, self.anterior.fin, self.criterio, self.anterior.inicio)


def preparar(periodo: str, corte: str = "", fuente: str = "", criterio: str = "ultimo") -> Contexto:
    """Lee la fuente y fija periodo y corte (por defecto, el último día del periodo)."""
    from .rutas import FUENTE_INCLUIDA

    p = parsear_periodo(str(periodo))
    if corte:
        try:
            dia = date.fromisoformat(str(corte))
        except ValueError:
            raise ErrorParametro(f"corte debe ser una fecha AAAA-MM-DD válida, no «{corte}»") from None
    else:
        dia = p.fin
    ruta = resolver_fuente(fuente or FUENTE_INCLUIDA)
    datos = ruta.read_bytes()
    tablero = parsear_archivo(ruta)
    return Contexto(
        periodo=p,
        corte=dia,
        criterio=criterio,
        fuente=str(fuente or FUENTE_INCLUIDA),
        sha256=hashlib.sha256(datos).hexdigest(),
        tablas=tablero.a_tablas(),
    )
