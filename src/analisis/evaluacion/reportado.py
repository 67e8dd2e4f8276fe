"""Lo que el tablero reportaba a la fecha de corte, según las capturas.

El porcentaje de cada compromiso y los contadores de la cabecera son cifras que
el tablero *publica* y que cambian con el tiempo. Compararlas al corte C con
una captura tomada después de C mezcla dos fechas. Por eso se toman de la
captura más reciente tomada a más tardar el día C:

* si alguna captura tiene fecha conocida hasta C, la más reciente de ellas;
* si no, la más reciente cuya fecha se desconoce pero *no consta* que sea
  posterior a C (un archivo suelto sin ficha, como siempre; o una captura cuya
  fecha mínima no pasa de C). El informe dice que su fecha se desconoce;
* si todas son posteriores a C: ninguna. Lo reportado queda vacío, «no
  observado a la fecha de corte», y no hay alerta ``porcentaje_difiere``.

Lo recalculado usa siempre los avances registrados hasta C de la captura más
reciente (la que más sabe). Un avance que ninguna captura tomada hasta C
mostraba se señala con la alerta ``no_visto_al_corte``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from typing import TYPE_CHECKING

# pandas solo para los tipos: lo que lee capturas.csv como filas (la portada y
# el apéndice del informe, en el proceso principal) no lo importa.
if TYPE_CHECKING:
    import pandas as pd

NO_OBSERVADO = "no observado a la fecha de corte"


def _fecha(texto) -> datetime | None:
    if texto is None or (isinstance(texto, float) and math.isnan(texto)) or str(texto) == "":
        return None
    return datetime.fromisoformat(str(texto))


def fecha_de_captura(fila: dict) -> str:
    """La fecha de una captura para leer: ISO con zona, o «desconocida (posterior a …)»."""
    if _texto(fila.get("fecha_captura")):
        return str(fila["fecha_captura"])
    if _texto(fila.get("fecha_captura_minima")):
        return f"desconocida (posterior a {str(fila['fecha_captura_minima']).replace('T', ' ')})"
    return "desconocida"


def tomada_hasta(fila: dict, corte: date) -> bool | None:
    """Si la captura de ``fila`` (de capturas.csv) se tomó a más tardar el día ``corte``; None si no se sabe.

    Las fechas se comparan en la hora de reloj de su zona (ver lectura/capturas.py).
    """
    fecha = _fecha(fila.get("fecha_captura"))
    if fecha is not None:
        return fecha.date() <= corte
    minima = _fecha(fila.get("fecha_captura_minima"))
    if minima is not None and minima.date() > corte:
        return False
    return None


@dataclass(frozen=True)
class Observacion:
    """Qué captura da lo reportado al corte: su número (None: ninguna) y si su fecha es conocida."""

    captura: int | None
    fecha_conocida: bool = False
    fecha_captura: str = ""
    fecha_captura_minima: str = ""

    def describir(self) -> str:
        """Frase para el informe."""
        if self.captura is None:
            return NO_OBSERVADO
        if self.fecha_conocida:
            return f"captura {self.captura}, del {self.fecha_captura}"
        if self.fecha_captura_minima:
            return (
                f"captura {self.captura}, de fecha desconocida (posterior a "
                f"{self.fecha_captura_minima.replace('T', ' ')}): puede ser posterior al corte"
            )
        return f"captura {self.captura}, de fecha desconocida: puede ser posterior al corte"


def observacion_al_corte(capturas, corte: date) -> Observacion:
    """La captura de la que se toman los valores reportados al ``corte`` (ver el docstring del módulo).

    ``capturas`` es la tabla capturas.csv: un DataFrame o sus filas como diccionarios.
    """
    filas = capturas.to_dict("records") if hasattr(capturas, "to_dict") else list(capturas)
    for conocida in (True, None):
        candidatas = [f for f in filas if tomada_hasta(f, corte) is conocida]
        if candidatas:
            f = candidatas[-1]  # capturas.csv va de la más antigua a la más reciente
            return Observacion(
                int(f["captura"]), conocida is True,
                _texto(f.get("fecha_captura")), _texto(f.get("fecha_captura_minima")),
            )
    return Observacion(None)


def _texto(valor) -> str:
    return "" if valor is None or (isinstance(valor, float) and math.isnan(valor)) else str(valor)


def reportados_al_corte(tablas, obs: Observacion) -> pd.DataFrame:
    """Compromisos actuales con el porcentaje que reportaba la captura observada (NaN si ninguna)."""
    compromisos = tablas.compromisos[["compromiso", "linea"]].copy()
    if obs.captura is None:
        compromisos["porcentaje_reportado"] = math.nan
    else:
        r = tablas.reportados[tablas.reportados["captura"] == obs.captura]
        por_numero = dict(zip(r["compromiso"], r["porcentaje_reportado"]))
        compromisos["porcentaje_reportado"] = [float(por_numero.get(c, math.nan)) for c in compromisos["compromiso"]]
    return compromisos


def contadores_al_corte(tablas, obs: Observacion) -> pd.DataFrame:
    """Fila de contadores de la cabecera de la captura observada (vacía si ninguna o si no los tenía)."""
    if obs.captura is None:
        return tablas.tablero.iloc[0:0]
    return tablas.tablero[tablas.tablero["captura"] == obs.captura].reset_index(drop=True)


def avances_no_vistos(tablas, avances: pd.DataFrame, corte: date) -> pd.DataFrame:
    """Avances (de los dados, ya filtrados al corte) que ninguna captura tomada hasta el corte mostraba.

    Solo si alguna captura consta tomada hasta el corte: sin ninguna, todo el
    tablero está sin observar a esa fecha y el informe lo dice una vez.
    """
    capturas = tablas.capturas.to_dict("records")
    vistas_hasta = {int(f["captura"]) for f in capturas if tomada_hasta(f, corte) is True}
    if not vistas_hasta or "captura_primera" not in avances.columns:
        return avances.iloc[0:0]
    # Un avance presente en la captura más reciente y visto por primera vez en
    # la captura k está en todas las de k en adelante: lo mostró alguna captura
    # hasta el corte si y solo si k no pasa de la última de ellas.
    return avances[avances["captura_primera"] > max(vistas_hasta)]
