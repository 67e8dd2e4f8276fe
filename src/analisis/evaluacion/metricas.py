"""Métricas de evaluación a una fecha de corte.

Funciones puras sobre las tablas del paquete de datos (:class:`analisis.paquete.Tablas`):
no leen ni escriben archivos, salvo :func:`escribir_metricas`.

Avance de un hito: el criterio
==============================

Cada avance trae un «Porcentaje avance», pero el tablero no dice si es el
avance *acumulado* del hito o el *incremento* aportado por esa actividad, y los
datos reales mezclan ambas lecturas:

* hito 4.1: 8.34, 16.68, 25.02, 33.36, 41.7, 50.04 — acumulado (suma 8.34 cada vez);
* hito 1.2: 12, 20, 40, 47, 55, 62, 70, 85 — acumulado;
* hito 5.3: 5, 5, 10, 5, 5, 5, 10, 10, 25 — incrementos (suman 80 y no crecen).

Hay tres criterios (``--criterio``):

``ultimo``
    el porcentaje del avance registrado más tarde (a igual hora, el último
    listado);
``maximo``
    el mayor porcentaje alcanzado;
``suma``
    la suma de los porcentajes como incrementos, con tope 100.

**Por omisión se usa ``ultimo``** porque:

1. la lectura acumulada es la de la mayoría de las series del tablero real
   (1.2, 1.4, 2.3, 3.1, 3.3, 4.1 y 6.3 nunca bajan y superan 100 si se
   suman), y con ella el último valor es la declaración vigente de la
   institución;
2. es el único criterio que reproduce el porcentaje del propio tablero donde
   los datos están completos: el compromiso 3 declara 70.50 % y la media de
   los últimos valores de sus cuatro hitos es (50 + 47 + 85 + 100) / 4 = 70.5;
3. ``maximo`` oculta retrocesos (hito 5.4: 28 y después 0, la institución
   retiró lo declarado) y ``suma`` convierte series acumuladas en 100 % (la
   del hito 1.2 suma 391).

Como ningún criterio sirve para todas las series, cada hito lleva
``tipo_serie`` y ``serie_ajusta``, y las series que no encajan con el
criterio elegido generan la alerta ``serie_no_ajusta``:

``acumulada``
    nunca baja (en orden de registro) y suma más de 100: solo puede ser acumulada;
``incremental``
    baja alguna vez y suma 100 o menos: solo puede ser de incrementos;
``ambigua``
    nunca baja y suma 100 o menos (p. ej. 10, 20): valen las dos lecturas;
``inconsistente``
    baja y suma más de 100: no encaja con ninguna;
``insuficiente``
    menos de dos porcentajes: no hay serie que clasificar.

Con ``ultimo`` y ``maximo`` no encajan las series ``incremental`` e
``inconsistente``; con ``suma``, las ``acumulada`` e ``inconsistente``.

Estado y nivel de cumplimiento
==============================

Estado del hito (como los contadores del tablero): ``no iniciado`` si no tiene
avances al corte o su avance es 0 %; ``completado`` si llega a 100 %; ``en
progreso`` en otro caso. Un avance sin porcentaje cuenta como actividad pero no
aporta porcentaje; si ningún avance lo trae, el avance del hito es 0.

Nivel de cumplimiento al estilo del IRM (Mecanismo de Revisión Independiente
de la Alianza para el Gobierno Abierto), aplicado al avance del hito o a la
media de un compromiso:

==================  ==========================================================
``sin evidencia``   ningún avance registrado al corte (no hay nada que evaluar)
``no iniciado``     hay avances pero el avance es 0 %
``limitado``        más de 0 % y menos de 50 %
``sustancial``      desde 50 % hasta menos de 100 %
``completo``        100 %
==================  ==========================================================

El corte en 50 % sigue la lectura del IRM («sustancial» es la mayor parte del
compromiso hecha) y distingue «sin evidencia» de «no iniciado» porque no es lo
mismo que la institución no haya informado que informar 0 %.

Los valores se comparan con una tolerancia de 1e-9 para que 99.99999999999 por
redondeo de sumas cuente como 100.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..errores import ErrorParametro
from ..lectura.instituciones import CatalogoInstituciones, clave, normalizar_columna
from .periodos import como_fecha, avances_al_corte, mascara_en_periodo

from .criterios import CRITERIO_POR_DEFECTO, CRITERIOS, validar_criterio  # noqa: E402  (reexportados)

ESTADO_NO_INICIADO = "no iniciado"
ESTADO_EN_PROGRESO = "en progreso"
ESTADO_COMPLETADO = "completado"

NIVEL_SIN_EVIDENCIA = "sin evidencia"
NIVEL_NO_INICIADO = "no iniciado"
NIVEL_LIMITADO = "limitado"
NIVEL_SUSTANCIAL = "sustancial"
NIVEL_COMPLETO = "completo"

UMBRAL_SUSTANCIAL = 50.0
COMPLETO = 100.0
TOLERANCIA = 1e-9

TIPO_ACUMULADA = "acumulada"
TIPO_INCREMENTAL = "incremental"
TIPO_AMBIGUA = "ambigua"
TIPO_INCONSISTENTE = "inconsistente"
TIPO_INSUFICIENTE = "insuficiente"

_NO_AJUSTAN = {
    "ultimo": {TIPO_INCREMENTAL, TIPO_INCONSISTENTE},
    "maximo": {TIPO_INCREMENTAL, TIPO_INCONSISTENTE},
    "suma": {TIPO_ACUMULADA, TIPO_INCONSISTENTE},
}

COLUMNAS_HITOS = [
    "hito_id",
    "compromiso",
    "numero",
    "institucion",
    "institucion_normalizada",
    "sigla",
    "fecha_inicio",
    "fecha_fin",
    "avances",
    "avances_con_porcentaje",
    "avances_periodo",
    "avances_con_evidencia",
    "cobertura_evidencia",
    "ultima_actualizacion",
    "avance_ultimo",
    "avance_maximo",
    "avance_suma",
    "criterio",
    "avance",
    "tipo_serie",
    "serie_ajusta",
    "estado",
    "nivel_irm",
    "vencido",
    "dias_para_fin",
    "linea",
]

_COLUMNAS_AGREGADAS = [
    "hitos",
    "hitos_no_iniciados",
    "hitos_en_progreso",
    "hitos_completados",
    "avance_calculado",
    "nivel_irm",
]
_COLUMNAS_ACTIVIDAD = [
    "hitos_vencidos",
    "avances",
    "avances_periodo",
    "avances_con_evidencia",
    "cobertura_evidencia",
    "ultima_actualizacion",
]
COLUMNAS_COMPROMISOS = [
    "compromiso", *_COLUMNAS_AGREGADAS, "porcentaje_reportado", "captura_reportado", "diferencia", *_COLUMNAS_ACTIVIDAD
]
COLUMNAS_INSTITUCIONES = ["institucion", "sigla", "compromisos", *_COLUMNAS_AGREGADAS, *_COLUMNAS_ACTIVIDAD]

# Columnas de fecha y hora; el resto de columnas de fecha se escriben como día.
COLUMNAS_FECHA_HORA = {"ultima_actualizacion", "fecha_registro", "fecha_consulta"}


# --- series de porcentajes ------------------------------------------------------------


@dataclass(frozen=True)
class ResumenSerie:
    """Porcentajes de un hito en orden de registro y sus lecturas posibles."""

    valores: tuple[float, ...]
    tipo: str

    @property
    def ultimo(self) -> float:
        return self.valores[-1] if self.valores else math.nan

    @property
    def maximo(self) -> float:
        return max(self.valores) if self.valores else math.nan

    @property
    def suma(self) -> float:
        # Redondeo a 10 decimales: 8.34 + 8.34 + ... no debe dar 50.040000000000006.
        return min(COMPLETO, round(sum(self.valores), 10)) if self.valores else math.nan

    @property
    def suma_sin_tope(self) -> float:
        return round(sum(self.valores), 10)

    def valor(self, criterio: str) -> float:
        """Avance del hito según ``criterio``; sin porcentajes es 0."""
        if not self.valores:
            return 0.0
        return {"ultimo": self.ultimo, "maximo": self.maximo, "suma": self.suma}[validar_criterio(criterio)]

    def ajusta(self, criterio: str) -> bool:
        return self.tipo not in _NO_AJUSTAN[validar_criterio(criterio)]


def resumir_serie(valores: Iterable[float]) -> ResumenSerie:
    """Clasifica una serie de porcentajes (ya en orden de registro); los vacíos se ignoran."""
    serie = tuple(float(v) for v in valores if v is not None and not pd.isna(v))
    if len(serie) < 2:
        return ResumenSerie(serie, TIPO_INSUFICIENTE)
    baja = any(b < a - TOLERANCIA for a, b in zip(serie, serie[1:]))
    cabe_en_100 = sum(serie) <= COMPLETO + TOLERANCIA
    if baja:
        tipo = TIPO_INCREMENTAL if cabe_en_100 else TIPO_INCONSISTENTE
    else:
        tipo = TIPO_AMBIGUA if cabe_en_100 else TIPO_ACUMULADA
    return ResumenSerie(serie, tipo)


def ordenar_por_registro(avances: pd.DataFrame) -> pd.DataFrame:
    """Avances por hito y hora de registro; a igual hora, en el orden listado (``numero``)."""
    return avances.sort_values(["hito_id", "fecha_registro", "numero"], kind="mergesort")


def estado_hito(avance: float, avances: int) -> str:
    if avances == 0 or avance <= TOLERANCIA:
        return ESTADO_NO_INICIADO
    if avance >= COMPLETO - TOLERANCIA:
        return ESTADO_COMPLETADO
    return ESTADO_EN_PROGRESO


def nivel_irm(avance: float, avances: int) -> str:
    """Nivel de cumplimiento (umbrales en la documentación del módulo)."""
    if avances == 0:
        return NIVEL_SIN_EVIDENCIA
    if pd.isna(avance) or avance <= TOLERANCIA:
        return NIVEL_NO_INICIADO
    if avance >= COMPLETO - TOLERANCIA:
        return NIVEL_COMPLETO
    if avance >= UMBRAL_SUSTANCIAL - TOLERANCIA:
        return NIVEL_SUSTANCIAL
    return NIVEL_LIMITADO


def tiene_evidencia(avances: pd.DataFrame) -> pd.Series:
    """Verdadero si el avance trae medios de verificación o algún enlace."""
    medios = avances["medios_verificacion"].fillna("").astype(str).str.strip() != ""
    urls = avances["urls"].fillna("").astype(str).str.strip() != ""
    return medios | urls


# --- tablas ------------------------------------------------------------------------------


def metricas_hitos(
    hitos: pd.DataFrame,
    avances: pd.DataFrame,
    corte: date,
    criterio: str = CRITERIO_POR_DEFECTO,
    inicio_periodo: date | None = None,
    catalogo: CatalogoInstituciones | None = None,
) -> pd.DataFrame:
    """Una fila por hito con su avance, estado y actividad al ``corte``.

    Solo cuentan los avances registrados hasta el final del día de corte;
    ``avances_periodo`` cuenta los de ``[inicio_periodo, corte]`` (sin inicio,
    todos hasta el corte). Un hito está *vencido* si su fecha de fin es
    anterior al corte (estrictamente: el día de fin aún está en plazo) y no
    está completado.
    """
    corte = como_fecha(corte)
    criterio = validar_criterio(criterio)
    visibles = ordenar_por_registro(avances_al_corte(avances, corte))
    visibles["_evidencia"] = tiene_evidencia(visibles)
    visibles["_periodo"] = mascara_en_periodo(visibles["fecha_registro"], inicio_periodo, corte)
    por_hito = {h: g for h, g in visibles.groupby("hito_id", sort=False)}
    normalizadas = normalizar_columna(hitos["institucion"], catalogo)

    filas = []
    for indice, h in hitos.iterrows():
        g = por_hito.get(h["hito_id"], visibles.iloc[0:0])
        resumen = resumir_serie(g["porcentaje"])
        n = len(g)
        avance = resumen.valor(criterio)
        estado = estado_hito(avance, n)
        fin = h["fecha_fin"]
        dias_para_fin = pd.NA if pd.isna(fin) else (pd.Timestamp(fin).date() - corte).days
        filas.append(
            {
                "hito_id": h["hito_id"],
                "compromiso": h["compromiso"],
                "numero": h["numero"],
                "institucion": h["institucion"],
                "institucion_normalizada": normalizadas.at[indice, "institucion_normalizada"],
                "sigla": normalizadas.at[indice, "sigla"],
                "fecha_inicio": h["fecha_inicio"],
                "fecha_fin": fin,
                "avances": n,
                "avances_con_porcentaje": len(resumen.valores),
                "avances_periodo": int(g["_periodo"].sum()),
                "avances_con_evidencia": int(g["_evidencia"].sum()),
                "cobertura_evidencia": g["_evidencia"].mean() if n else math.nan,
                "ultima_actualizacion": g["fecha_registro"].max() if n else pd.NaT,
                "avance_ultimo": resumen.ultimo,
                "avance_maximo": resumen.maximo,
                "avance_suma": resumen.suma,
                "criterio": criterio,
                "avance": avance,
                "tipo_serie": resumen.tipo,
                "serie_ajusta": resumen.ajusta(criterio),
                "estado": estado,
                "nivel_irm": nivel_irm(avance, n),
                "vencido": bool(dias_para_fin is not pd.NA and dias_para_fin < 0 and estado != ESTADO_COMPLETADO),
                "dias_para_fin": dias_para_fin,
                "linea": h["linea"],
            }
        )
    tabla = pd.DataFrame(filas, columns=COLUMNAS_HITOS)
    return _tipar_hitos(tabla).sort_values(["compromiso", "numero"], kind="mergesort").reset_index(drop=True)


def _tipar_hitos(tabla: pd.DataFrame) -> pd.DataFrame:
    tipos = {
        "compromiso": "int64",
        "numero": "int64",
        "avances": "int64",
        "avances_con_porcentaje": "int64",
        "avances_periodo": "int64",
        "avances_con_evidencia": "int64",
        "cobertura_evidencia": "float64",
        "avance_ultimo": "float64",
        "avance_maximo": "float64",
        "avance_suma": "float64",
        "avance": "float64",
        "serie_ajusta": "bool",
        "vencido": "bool",
        "dias_para_fin": "Int64",
        "linea": "int64",
    }
    tabla = tabla.astype(tipos)
    for columna in ("hito_id", "institucion", "institucion_normalizada", "sigla", "criterio", "tipo_serie", "estado", "nivel_irm"):
        tabla[columna] = tabla[columna].astype("str")
    for columna in ("fecha_inicio", "fecha_fin", "ultima_actualizacion"):
        tabla[columna] = pd.to_datetime(tabla[columna])
    return tabla


def _agregar(hs: pd.DataFrame) -> dict:
    """Columnas comunes a compromisos e instituciones a partir de sus filas de hitos."""
    avances = int(hs["avances"].sum())
    con_evidencia = int(hs["avances_con_evidencia"].sum())
    avance = float(hs["avance"].mean()) if len(hs) else math.nan
    return {
        "hitos": len(hs),
        "hitos_no_iniciados": int((hs["estado"] == ESTADO_NO_INICIADO).sum()),
        "hitos_en_progreso": int((hs["estado"] == ESTADO_EN_PROGRESO).sum()),
        "hitos_completados": int((hs["estado"] == ESTADO_COMPLETADO).sum()),
        "avance_calculado": avance,
        "nivel_irm": nivel_irm(avance, avances),
        "hitos_vencidos": int(hs["vencido"].sum()),
        "avances": avances,
        "avances_periodo": int(hs["avances_periodo"].sum()),
        "avances_con_evidencia": con_evidencia,
        "cobertura_evidencia": con_evidencia / avances if avances else math.nan,
        "ultima_actualizacion": hs["ultima_actualizacion"].max() if avances else pd.NaT,
    }


def metricas_compromisos(
    compromisos: pd.DataFrame, hitos_metricas: pd.DataFrame, captura_reportado: int | None = None
) -> pd.DataFrame:
    """Una fila por compromiso: conteos por estado, avance calculado frente al reportado, plazos y evidencia.

    ``avance_calculado`` es la media del avance de sus hitos (un hito sin avances
    cuenta 0); un compromiso sin hitos queda vacío. ``diferencia`` es
    reportado − calculado: positiva cuando el tablero declara más de lo que
    sus hitos sostienen. ``porcentaje_reportado`` es el de ``compromisos``: al
    corte, el de la captura ``captura_reportado`` (ver :mod:`.reportado`);
    ambos vacíos si ninguna captura lo observaba a esa fecha.
    """
    numeros = sorted(set(compromisos["compromiso"]).union(hitos_metricas["compromiso"]))
    reportado = dict(zip(compromisos["compromiso"], compromisos["porcentaje_reportado"]))
    por_compromiso = dict(tuple(hitos_metricas.groupby("compromiso", sort=False)))
    filas = []
    for c in numeros:
        fila = {"compromiso": c, **_agregar(por_compromiso.get(c, hitos_metricas.iloc[0:0]))}
        fila["porcentaje_reportado"] = float(reportado.get(c, math.nan))
        fila["captura_reportado"] = captura_reportado
        fila["diferencia"] = fila["porcentaje_reportado"] - fila["avance_calculado"]
        filas.append(fila)
    tabla = pd.DataFrame(filas, columns=COLUMNAS_COMPROMISOS)
    tabla["captura_reportado"] = tabla["captura_reportado"].astype("Int64")
    return _tipar_agregada(tabla)


def metricas_instituciones(hitos_metricas: pd.DataFrame) -> pd.DataFrame:
    """Lo mismo que :func:`metricas_compromisos` agrupado por institución normalizada.

    No lleva porcentaje reportado ni diferencia: el tablero solo publica
    porcentajes por compromiso, y un compromiso puede repartirse entre varias
    instituciones.
    """
    filas = []
    for nombre, hs in hitos_metricas.groupby("institucion_normalizada", sort=False):
        siglas = sorted(s for s in set(hs["sigla"]) if s)
        filas.append(
            {
                "institucion": nombre,
                "sigla": "; ".join(siglas),
                "compromisos": int(hs["compromiso"].nunique()),
                **_agregar(hs),
            }
        )
    tabla = pd.DataFrame(filas, columns=COLUMNAS_INSTITUCIONES)
    tabla = _tipar_agregada(tabla)
    orden = tabla["institucion"].map(clave)
    return tabla.assign(_orden=orden).sort_values(["_orden", "institucion"], kind="mergesort").drop(columns="_orden").reset_index(drop=True)


def _tipar_agregada(tabla: pd.DataFrame) -> pd.DataFrame:
    enteros = [c for c in ("compromiso", "compromisos", "hitos", "hitos_no_iniciados", "hitos_en_progreso",
                           "hitos_completados", "hitos_vencidos", "avances", "avances_periodo",
                           "avances_con_evidencia") if c in tabla.columns]
    reales = [c for c in ("avance_calculado", "porcentaje_reportado", "diferencia", "cobertura_evidencia") if c in tabla.columns]
    tabla = tabla.astype({**{c: "int64" for c in enteros}, **{c: "float64" for c in reales}})
    for columna in ("institucion", "sigla", "nivel_irm"):
        if columna in tabla.columns:
            tabla[columna] = tabla[columna].astype("str")
    tabla["ultima_actualizacion"] = pd.to_datetime(tabla["ultima_actualizacion"])
    return tabla.reset_index(drop=True)


# --- punto de entrada y escritura ---------------------------------------------------------------

ARCHIVOS = (
    "metricas_hitos",
    "metricas_compromisos",
    "metricas_instituciones",
    "alertas",
    "rezago_menciones",
    "rezago_hitos",
    "rezago_instituciones",
    "participacion_compromisos",
    "participacion_organizaciones",
    "enlaces_evidencia",
)
