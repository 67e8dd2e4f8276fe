"""Contexto de un informe: datos, periodo, corte y métricas, preparado una vez por cuaderno.

Cada cuaderno empieza con ``ctx = preparar(periodo, corte, fuente, criterio)``
tras su celda de parámetros; así todos los cuadernos parten de las mismas
tablas y las mismas métricas, y un cuaderno se puede ejecutar solo, en
JupyterLab, sin depender de que otro haya corrido antes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from ..lectura.paquete import Tablas, tablas_desde_tablero
from ..evaluacion.periodos import Periodo, parsear_corte, parsear_periodo, periodo_anterior
from ..lectura.rutas import resolver_fuente
from ..lectura.tablero import parsear_archivo


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
        from ..evaluacion.calculo import calcular
        from ..evaluacion.evaluacion import Evaluacion

        return calcular(self.tablas, Evaluacion(self.corte, self.criterio, self.periodo))

    @cached_property
    def anterior(self) -> Periodo:
        return periodo_anterior(self.periodo)

    @cached_property
    def metricas_anteriores(self) -> dict[str, pd.DataFrame]:
        """Las mismas métricas al cierre del periodo anterior, para ver qué cambió."""
        from ..evaluacion.calculo import calcular
        from ..evaluacion.evaluacion import Evaluacion

        return calcular(self.tablas, Evaluacion(self.corte, self.criterio, self.periodo).anterior())


def preparar(periodo: str, corte: str = "", fuente: str = "", criterio: str = "ultimo") -> Contexto:
    """Lee la fuente y fija periodo y corte (por defecto, el último día del periodo)."""
    from ..lectura.rutas import FUENTE_INCLUIDA

    p = parsear_periodo(str(periodo))
    dia = parsear_corte(str(corte)) if corte else p.fin
    tablero = parsear_archivo(resolver_fuente(fuente or FUENTE_INCLUIDA))
    return Contexto(
        periodo=p,
        corte=dia,
        criterio=criterio,
        fuente=str(fuente or FUENTE_INCLUIDA),
        sha256=tablero.sha256,
        tablas=tablas_desde_tablero(tablero),
    )
