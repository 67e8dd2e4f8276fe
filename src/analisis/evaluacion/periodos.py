"""Periodos de informe y fechas de corte.

Un periodo se escribe como lo usan los informes de seguimiento:

* ``2025-T1`` … ``2025-T4``: trimestre;
* ``2025-S1``, ``2025-S2``: semestre;
* ``2025``: año;
* ``2025-03``: mes.

El *corte* es un **día**: cuenta todo lo registrado hasta el final de ese día,
porque el tablero guarda la hora de registro y un avance cargado el
2025-03-31 a las 23:59 pertenece al informe con corte 2025-03-31. Por eso el
filtro compara con el inicio del día siguiente (límite exclusivo) y no con la
medianoche del día de corte.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from typing import TYPE_CHECKING

from ..errores import ErrorParametro
from ..lectura.fechas import ANIO_MAX, ANIO_MIN, digitos_no_ascii

if TYPE_CHECKING:  # pandas solo se importa al usarlo: validar un periodo no lo necesita
    import pandas as pd

FORMATOS_PERIODO = "2025-T1 (trimestre), 2025-S1 (semestre), 2025 (año) o 2025-03 (mes)"

_RE_PERIODO = re.compile(
    r"^(?P<anio>\d{4})(?:-(?:(?P<trimestre>T\d+)|(?P<semestre>S\d+)|(?P<mes>\d{1,2})))?$",
    re.IGNORECASE,
)
_RE_CORTE = re.compile(r"^(?P<anio>\d{4})-(?P<mes>\d{2})-(?P<dia>\d{2})$")


@dataclass(frozen=True, order=True)
class Periodo:
    """Intervalo cerrado de días ``[inicio, fin]`` con su etiqueta normalizada (``2025-T1``)."""

    inicio: date
    fin: date
    etiqueta: str

    @property
    def granularidad(self) -> str:
        """``trimestre``, ``semestre``, ``anio`` o ``mes``, deducida de la etiqueta."""
        if "-T" in self.etiqueta:
            return "trimestre"
        if "-S" in self.etiqueta:
            return "semestre"
        if "-" in self.etiqueta:
            return "mes"
        return "anio"

    def contiene(self, dia: date) -> bool:
        return self.inicio <= como_fecha(dia) <= self.fin

    def __str__(self) -> str:
        return self.etiqueta


def _ultimo_dia(anio: int, mes: int) -> date:
    return date(anio, mes, calendar.monthrange(anio, mes)[1])


def _meses(anio: int, primer_mes: int, cantidad: int, etiqueta: str) -> Periodo:
    ultimo_mes = primer_mes + cantidad - 1
    return Periodo(date(anio, primer_mes, 1), _ultimo_dia(anio, ultimo_mes), etiqueta)


def trimestre(anio: int, numero: int) -> Periodo:
    return _meses(anio, 3 * (numero - 1) + 1, 3, f"{anio:04d}-T{numero}")


def semestre(anio: int, numero: int) -> Periodo:
    return _meses(anio, 6 * (numero - 1) + 1, 6, f"{anio:04d}-S{numero}")


def anio_completo(anio: int) -> Periodo:
    return _meses(anio, 1, 12, f"{anio:04d}")


def mes(anio: int, numero: int) -> Periodo:
    return _meses(anio, numero, 1, f"{anio:04d}-{numero:02d}")


def trimestre_de(dia: date) -> Periodo:
    """El trimestre que contiene ``dia``."""
    dia = como_fecha(dia)
    return trimestre(dia.year, (dia.month - 1) // 3 + 1)


def parsear_periodo(texto: str) -> Periodo:
    """Convierte ``2025-T1``, ``2025-S1``, ``2025`` o ``2025-03`` en un :class:`Periodo`.

    Las letras T y S se aceptan en minúscula; la etiqueta devuelta va siempre
    en mayúscula y con el mes en dos cifras, para que dos escrituras del mismo
    periodo den el mismo nombre en las salidas.
    """
    if texto is None or not str(texto).strip():
        raise ErrorParametro(f"periodo vacío: indique {FORMATOS_PERIODO}")
    original = str(texto)
    if digitos_no_ascii(original):
        raise ErrorParametro(f"periodo no válido: «{original}»: use dígitos 0-9")
    m = _RE_PERIODO.match(original.strip())
    if m is None:
        raise ErrorParametro(f"periodo no válido: «{original}»; use {FORMATOS_PERIODO}")
    anio = int(m.group("anio"))
    if not ANIO_MIN <= anio <= ANIO_MAX:
        raise ErrorParametro(f"periodo no válido: «{original}»: el año debe estar entre {ANIO_MIN} y {ANIO_MAX}")
    if m.group("trimestre"):
        numero = int(m.group("trimestre")[1:])
        if not 1 <= numero <= 4:
            raise ErrorParametro(f"periodo no válido: «{original}»: el trimestre va de T1 a T4")
        return trimestre(anio, numero)
    if m.group("semestre"):
        numero = int(m.group("semestre")[1:])
        if not 1 <= numero <= 2:
            raise ErrorParametro(f"periodo no válido: «{original}»: el semestre es S1 o S2")
        return semestre(anio, numero)
    if m.group("mes"):
        numero = int(m.group("mes"))
        if not 1 <= numero <= 12:
            raise ErrorParametro(f"periodo no válido: «{original}»: el mes va de 01 a 12")
        return mes(anio, numero)
    return anio_completo(anio)


def periodo_anterior(p: Periodo) -> Periodo:
    """El periodo de la misma granularidad que termina justo antes de ``p``."""
    if p.inicio == date.min:
        raise ErrorParametro(f"el periodo {p.etiqueta} no tiene periodo anterior en el calendario")
    dia = p.inicio - timedelta(days=1)
    if p.granularidad == "trimestre":
        return trimestre_de(dia)
    if p.granularidad == "semestre":
        return semestre(dia.year, 1 if dia.month <= 6 else 2)
    if p.granularidad == "mes":
        return mes(dia.year, dia.month)
    return anio_completo(dia.year)


def periodos_con_datos(fechas: Iterable) -> list[Periodo]:
    """Trimestres que contienen al menos una de ``fechas``, en orden cronológico.

    Se eligen trimestres porque es la granularidad de los informes de
    seguimiento del plan y porque, con unas decenas de avances registrados en
    ráfagas (el tablero real tiene 44 en cuatro meses), los meses dejarían la
    mayoría de los puntos vacíos. Se omiten los trimestres sin datos: una serie
    que los necesite puede completarlos con :func:`periodo_anterior`. Los
    valores vacíos (``None``, ``NaT``) se ignoran.
    """
    trimestres = set()
    for valor in fechas:
        if valor is None or valor != valor:  # None, NaN o NaT (NaT != NaT)
            continue
        trimestres.add(trimestre_de(valor))
    return sorted(trimestres)


def inicio_del_plan(inicios_hitos: Iterable, registros: Iterable) -> date | None:
    """Primer día con algo que evaluar: el inicio del primer hito o el primer avance registrado.

    Recibe los textos ISO de las tablas (``hitos.fecha_inicio``,
    ``avances.fecha_registro``); los vacíos se ignoran. ``None`` si no hay ninguno.
    """
    fechas = [
        date.fromisoformat(str(v)[:10])
        for columna in (inicios_hitos, registros)
        for v in columna
        if v is not None and v == v and str(v).strip()
    ]
    return min(fechas, default=None)


def parsear_corte(texto: str) -> date:
    """Convierte ``AAAA-MM-DD`` en una fecha; cualquier otra forma es un error claro."""
    original = "" if texto is None else str(texto)
    if digitos_no_ascii(original):
        raise ErrorParametro(f"fecha de corte no válida: «{original}»: use dígitos 0-9")
    m = _RE_CORTE.match(original.strip())
    if m is None:
        raise ErrorParametro(f"fecha de corte no válida: «{original}»; use el formato AAAA-MM-DD (p. ej. 2025-03-31)")
    if not ANIO_MIN <= int(m.group("anio")) <= ANIO_MAX:
        raise ErrorParametro(f"fecha de corte no válida: «{original}»: el año debe estar entre {ANIO_MIN} y {ANIO_MAX}")
    try:
        return date(int(m.group("anio")), int(m.group("mes")), int(m.group("dia")))
    except ValueError:
        raise ErrorParametro(f"fecha de corte no válida: «{original}» no existe en el calendario") from None


def como_fecha(valor) -> date:
    """Día de una fecha, un datetime o un Timestamp (la hora se descarta)."""
    if isinstance(valor, datetime):  # incluye pandas.Timestamp, subclase de datetime
        return valor.date()
    if isinstance(valor, date):
        return valor
    raise TypeError(f"se esperaba una fecha, no {type(valor).__name__}")


def limite_corte(corte: date) -> pd.Timestamp:
    """Primer instante *excluido* por el corte: la medianoche del día siguiente."""
    import pandas as pd

    return pd.Timestamp(como_fecha(corte)) + pd.Timedelta(days=1)


def mascara_al_corte(fechas_registro: pd.Series, corte: date) -> pd.Series:
    """Verdadero para los registros hechos hasta el final del día de corte."""
    return fechas_registro.notna() & (fechas_registro < limite_corte(corte))


def mascara_en_periodo(fechas_registro: pd.Series, inicio: date | None, corte: date) -> pd.Series:
    """Verdadero para los registros de ``[inicio, corte]`` (días completos).

    Sin ``inicio`` el periodo abarca todo lo registrado hasta el corte.
    """
    import pandas as pd

    dentro = mascara_al_corte(fechas_registro, corte)
    if inicio is not None:
        dentro &= fechas_registro >= pd.Timestamp(como_fecha(inicio))
    return dentro


def avances_al_corte(avances: pd.DataFrame, corte: date) -> pd.DataFrame:
    """Los avances registrados hasta el final del día ``corte`` (copia)."""
    return avances.loc[mascara_al_corte(avances["fecha_registro"], corte)].copy()
