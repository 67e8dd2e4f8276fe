"""Rezago de reporte: cuánto tarda una actividad en aparecer en el tablero.

Las descripciones de los avances nombran la fecha del hecho informado («llevó a
cabo el 15 de octubre», «realizada el 29 de febrero del 2024», «el día 12 de
diciembre del año en curso»). El rezago de la mención es

    rezago_dias = día de registro del avance − fecha del hecho

Reglas de lectura:

* ``<día> de <mes>`` con año explícito («del 2024», «de 2024», «del año
  2024») usa ese año.
* Sin año, se toma la fecha más reciente con ese día y mes que **no es
  posterior** al registro: quien escribe el 5 de marzo de 2025 «el 15 de
  octubre» habla de octubre de 2024. El 29 de febrero retrocede hasta el último
  año bisiesto.
* «del año en curso», «del presente año» o «de este año» es el año del
  registro, tal como se escribió, aunque el resultado quede después del
  registro. Esas menciones se marcan ``posterior_al_registro`` (un hecho no
  puede informarse antes de ocurrir: casi siempre es un texto redactado un año
  y cargado el siguiente) y no entran en los resúmenes, solo se cuentan y
  generan una alerta.
* Un mes con año y sin día («en el mes de agosto 2023», «en los meses de
  diciembre 2024 y enero 2025», «marzo de 2025») se lee con precisión de
  mes y se mide desde el último día del mes: el rezago mínimo compatible con
  la mención, para no exagerarlo (0 si el registro es de ese mismo mes). Cada
  mes nombrado es una mención. Un mes sin año no se lee: sería ambiguo y en
  el tablero real esas frases describen periodos («en los meses de enero a
  abril»), no hechos. El mes de una fecha con día («15 de octubre de 2024»)
  no cuenta otra vez.
* Fechas imposibles («31 de febrero») no son menciones de fecha.

El rezago de un *avance* es el de su hecho más reciente (el menor rezago no
negativo entre sus menciones): es lo que tardó en informarse la última
actividad que relata. Los resúmenes por hito y por institución usan esos
valores por avance.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from ..lectura.fechas import MESES, PRECISION_DIA, PRECISION_MES, sin_acentos
from ..lectura.instituciones import clave
from .periodos import como_fecha, avances_al_corte

ANIO_EXPLICITO = "explicito"
ANIO_INFERIDO = "inferido"
ANIO_EN_CURSO = "en curso"

# Cuántos años hacia atrás se busca un día y mes sin año (el 29 de febrero
# necesita hasta ocho cuando un año secular no es bisiesto).
_ANIOS_ATRAS = 8

_MES = "(?P<mes>" + "|".join(sorted(MESES, key=len, reverse=True)) + ")"
_ANIO_SUFIJO = (
    r"(?:\s*,?\s+(?:de|del)\s+(?:(?P<anio>\d{4})\b|a[ñn]o\s+(?:(?P<anio2>\d{4})\b|(?P<curso>en\s+curso))"
    r"|(?P<curso2>(?:presente|este)\s+a[ñn]o)))?"
)
_RE_DIA = re.compile(
    r"(?<![\d/.-])(?P<dia>\d{1,2})(?:\s*(?:o|º|°|ro)\.?)?\s+de\s+" + _MES + r"\b" + _ANIO_SUFIJO,
    re.IGNORECASE,
)
_RE_MES = re.compile(
    r"(?:\bmes(?:es)?\s+de\s+)?\b" + _MES + r"\s*,?\s+(?:(?:de|del)\s+)?(?:a[ñn]o\s+)?(?P<anio>\d{4})\b", re.IGNORECASE
)

COLUMNAS_MENCIONES = [
    "avance_id",
    "hito_id",
    "linea",
    "fecha_registro",
    "fragmento",
    "fecha_evento",
    "precision",
    "anio",
    "rezago_dias",
    "posterior_al_registro",
]
_RESUMEN = ["rezago_minimo", "rezago_mediana", "rezago_medio", "rezago_maximo"]
COLUMNAS_REZAGO_HITOS = [
    "hito_id",
    "compromiso",
    "institucion",
    "avances",
    "avances_con_fecha",
    "menciones",
    "menciones_posteriores",
    *_RESUMEN,
]
COLUMNAS_REZAGO_INSTITUCIONES = [
    "institucion",
    "hitos",
    "avances",
    "avances_con_fecha",
    "menciones",
    "menciones_posteriores",
    *_RESUMEN,
]


@dataclass(frozen=True)
class MencionFecha:
    fragmento: str  # tal como está escrito
    fecha: date
    precision: str  # PRECISION_DIA o PRECISION_MES
    anio: str  # ANIO_EXPLICITO, ANIO_INFERIDO o ANIO_EN_CURSO
    posicion: int  # carácter donde empieza en el texto

    def rezago(self, registro: date) -> int:
        """Días desde el hecho hasta el registro (negativo si el hecho es posterior)."""
        if self.precision == PRECISION_MES:
            # El hecho cae en algún día del mes: se toma el rezago de menor magnitud
            # compatible (desde el fin del mes, 0 dentro del mes, hasta su inicio si
            # el registro es anterior) para no exagerarlo en ningún sentido.
            inicio_mes = self.fecha.replace(day=1)
            if registro < inicio_mes:
                return (registro - inicio_mes).days
            if registro <= self.fecha:
                return 0
        return (registro - self.fecha).days


def _plegar(texto: str) -> str:
    """Texto sin tildes con la misma longitud que el original en NFC.

    Se quita la tilde carácter a carácter para que las posiciones de una
    coincidencia sirvan también en el texto original (y el fragmento citado
    conserve sus tildes). Cada carácter se pliega una sola vez por proceso.
    """
    if texto.isascii():
        return texto
    return "".join(map(_plegar_caracter, texto))


@lru_cache(maxsize=4096)
def _plegar_caracter(c: str) -> str:
    s = sin_acentos(c)
    return s if len(s) == 1 else c


def _inferir_anio(dia: int, mes: int, registro: date) -> date | None:
    for anio in range(registro.year, registro.year - _ANIOS_ATRAS, -1):
        try:
            candidata = date(anio, mes, dia)
        except ValueError:
            continue
        if candidata <= registro:
            return candidata
    return None


def extraer_fechas(texto: str, registro: date | datetime) -> list[MencionFecha]:
    """Menciones de fechas de hechos en ``texto``, leídas respecto del día de ``registro``."""
    registro = como_fecha(registro)
    original = unicodedata.normalize("NFC", str(texto))
    plegado = _plegar(original)
    menciones: list[MencionFecha] = []
    for m in _RE_DIA.finditer(plegado):
        dia, mes = int(m.group("dia")), MESES[m.group("mes").lower()]
        anio_texto = m.group("anio") or m.group("anio2")
        try:
            if anio_texto:
                fecha, origen = date(int(anio_texto), mes, dia), ANIO_EXPLICITO
            elif m.group("curso") or m.group("curso2"):
                fecha, origen = date(registro.year, mes, dia), ANIO_EN_CURSO
            else:
                fecha, origen = _inferir_anio(dia, mes, registro), ANIO_INFERIDO
        except ValueError:
            continue
        if fecha is None:
            continue
        menciones.append(MencionFecha(original[m.start() : m.end()], fecha, PRECISION_DIA, origen, m.start()))
    con_dia = [(m.start(), m.end()) for m in _RE_DIA.finditer(plegado)]
    for m in _RE_MES.finditer(plegado):
        if any(inicio < m.end() and m.start() < fin for inicio, fin in con_dia):
            continue
        anio, mes = int(m.group("anio")), MESES[m.group("mes").lower()]
        fin = date(anio, mes, calendar.monthrange(anio, mes)[1])
        menciones.append(MencionFecha(original[m.start() : m.end()], fin, PRECISION_MES, ANIO_EXPLICITO, m.start()))
    return sorted(menciones, key=lambda x: x.posicion)


def menciones_fechas(avances: pd.DataFrame, corte: date | None = None) -> pd.DataFrame:
    """Una fila por fecha mencionada en la descripción o los medios de verificación de cada avance.

    Con ``corte`` solo se leen los avances registrados hasta ese día.
    """
    if corte is not None:
        avances = avances_al_corte(avances, corte)
    filas = []
    for a in avances.sort_values("linea", kind="mergesort").itertuples(index=False):
        registro = pd.Timestamp(a.fecha_registro)
        dia_registro = registro.date()
        for campo in ("descripcion", "medios_verificacion"):
            texto = getattr(a, campo)
            if not isinstance(texto, str) or not texto:
                continue
            for mencion in extraer_fechas(texto, dia_registro):
                rezago = mencion.rezago(dia_registro)
                filas.append(
                    {
                        "avance_id": a.avance_id,
                        "hito_id": a.hito_id,
                        "linea": a.linea,
                        "fecha_registro": registro,
                        "fragmento": mencion.fragmento,
                        "fecha_evento": pd.Timestamp(mencion.fecha),
                        "precision": mencion.precision,
                        "anio": mencion.anio,
                        "rezago_dias": rezago,
                        "posterior_al_registro": rezago < 0,
                    }
                )
    tabla = pd.DataFrame(filas, columns=COLUMNAS_MENCIONES)
    tabla = tabla.astype(
        {
            "avance_id": "str",
            "hito_id": "str",
            "linea": "int64",
            "fragmento": "str",
            "precision": "str",
            "anio": "str",
            "rezago_dias": "int64",
            "posterior_al_registro": "bool",
        }
    )
    tabla["fecha_registro"] = pd.to_datetime(tabla["fecha_registro"])
    tabla["fecha_evento"] = pd.to_datetime(tabla["fecha_evento"])
    return tabla.reset_index(drop=True)


def rezago_por_avance(menciones: pd.DataFrame) -> pd.Series:
    """Rezago de cada avance con alguna mención válida: el de su hecho más reciente."""
    validas = menciones[~menciones["posterior_al_registro"]]
    return validas.groupby("avance_id", sort=True)["rezago_dias"].min()


def _resumen(rezagos: pd.Series) -> dict:
    if rezagos.empty:
        return {c: math.nan for c in _RESUMEN}
    return {
        "rezago_minimo": float(rezagos.min()),
        "rezago_mediana": float(rezagos.median()),
        "rezago_medio": float(rezagos.mean()),
        "rezago_maximo": float(rezagos.max()),
    }


def _fila(avances: int, propias: pd.DataFrame, rezago_de: dict[str, int]) -> dict:
    """Resumen de un grupo de hitos: ``propias`` son sus menciones y ``rezago_de`` el rezago por avance."""
    rezagos = pd.Series([rezago_de[a] for a in propias["avance_id"].unique() if a in rezago_de], dtype="float64")
    return {
        "avances": avances,
        "avances_con_fecha": len(rezagos),
        "menciones": len(propias),
        "menciones_posteriores": int(propias["posterior_al_registro"].sum()),
        **_resumen(rezagos),
    }


def rezago_por_hito(menciones: pd.DataFrame, hitos_metricas: pd.DataFrame) -> pd.DataFrame:
    """Resumen del rezago (días) por hito, para los hitos con algún avance al corte.

    ``hitos_metricas`` es la salida de :func:`analisis.metricas.metricas_hitos`
    (aporta el compromiso, la institución normalizada y los avances al corte).
    """
    rezago_de = rezago_por_avance(menciones).to_dict()
    por_hito = dict(tuple(menciones.groupby("hito_id", sort=False)))
    vacias = menciones.iloc[0:0]
    filas = []
    for h in hitos_metricas[hitos_metricas["avances"] > 0].itertuples(index=False):
        fila = {"hito_id": h.hito_id, "compromiso": h.compromiso, "institucion": h.institucion_normalizada}
        fila.update(_fila(int(h.avances), por_hito.get(h.hito_id, vacias), rezago_de))
        filas.append(fila)
    tabla = pd.DataFrame(filas, columns=COLUMNAS_REZAGO_HITOS)
    return _tipar(tabla)


def rezago_por_institucion(menciones: pd.DataFrame, hitos_metricas: pd.DataFrame) -> pd.DataFrame:
    """Resumen del rezago (días) por institución normalizada, para las que tienen avances al corte."""
    rezago_de = rezago_por_avance(menciones).to_dict()
    con_avances = hitos_metricas[hitos_metricas["avances"] > 0]
    institucion_de = dict(zip(con_avances["hito_id"], con_avances["institucion_normalizada"]))
    por_institucion = dict(tuple(menciones.groupby(menciones["hito_id"].map(institucion_de), sort=False)))
    vacias = menciones.iloc[0:0]
    filas = []
    for nombre, hs in con_avances.groupby("institucion_normalizada", sort=False):
        propias = por_institucion.get(nombre, vacias)
        filas.append({"institucion": nombre, "hitos": len(hs), **_fila(int(hs["avances"].sum()), propias, rezago_de)})
    tabla = _tipar(pd.DataFrame(filas, columns=COLUMNAS_REZAGO_INSTITUCIONES))
    orden = tabla["institucion"].map(clave)
    return tabla.assign(_orden=orden).sort_values(["_orden", "institucion"], kind="mergesort").drop(columns="_orden").reset_index(drop=True)


def _tipar(tabla: pd.DataFrame) -> pd.DataFrame:
    enteros = [c for c in ("compromiso", "hitos", "avances", "avances_con_fecha", "menciones", "menciones_posteriores") if c in tabla.columns]
    tabla = tabla.astype({**{c: "int64" for c in enteros}, **{c: "float64" for c in _RESUMEN}})
    for columna in ("hito_id", "institucion"):
        if columna in tabla.columns:
            tabla[columna] = tabla[columna].astype("str")
    return tabla.reset_index(drop=True)
