"""Orquestación de la evaluación: todas las tablas de métricas de un corte, y su escritura.

Aquí se junta lo que calculan :mod:`.metricas`, :mod:`.alertas`, :mod:`.rezago`
y :mod:`.participacion`; ninguno de ellos importa este módulo, así que no hay
ciclos entre ellos.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from ..escritura import publicar_archivos
from ..lectura.instituciones import CatalogoInstituciones
from ..lectura.paquete import Tablas
from ..lectura.valoraciones import Valoraciones
from .alertas import calcular_alertas, tabla_alertas
from .enlaces import enlaces_al_corte
from .evaluacion import Evaluacion
from .metricas import COLUMNAS_FECHA_HORA, metricas_compromisos, metricas_hitos, metricas_instituciones
from .participacion import participacion_compromisos, participacion_organizaciones
from .periodos import avances_al_corte
from .reportado import observacion_al_corte, reportados_al_corte
from .rezago import menciones_fechas, rezago_por_hito, rezago_por_institucion
from .valoraciones import agregar_valoraciones, alertas_valoraciones


def calcular(
    tablas: Tablas,
    ev: Evaluacion,
    catalogo: CatalogoInstituciones | None = None,
    valoraciones: Valoraciones | None = None,
) -> dict[str, pd.DataFrame]:
    """Todas las tablas de evaluación al corte de ``ev``, por nombre de archivo sin extensión.

    Es el único punto de entrada que usan la CLI, el informe y los cuadernos,
    para que todos den las mismas cifras. Con ``valoraciones`` (ya validadas
    frente a ``tablas``), las métricas de hitos y compromisos llevan además lo
    valorado y las alertas incluyen ``valoracion_sin_respaldo``; sin ellas,
    las tablas no cambian.
    """
    corte, criterio = ev.corte, ev.criterio
    mh = metricas_hitos(tablas.hitos, tablas.avances, corte, criterio, ev.inicio, catalogo)
    menciones = menciones_fechas(tablas.avances, corte)
    # Lo reportado, de la captura más reciente tomada hasta el corte (ver reportado.py).
    obs = observacion_al_corte(tablas.capturas, corte)
    mc = metricas_compromisos(reportados_al_corte(tablas, obs), mh, obs.captura)
    compromiso_de = dict(zip(tablas.hitos["hito_id"], tablas.hitos["compromiso"]))
    # Cada enlace de evidencia con su última comprobación hasta el corte (ver enlaces.py).
    enlaces = enlaces_al_corte(avances_al_corte(tablas.avances, corte), tablas.enlaces, corte, compromiso_de)
    resultado = {
        "metricas_hitos": mh,
        "metricas_compromisos": mc,
        "metricas_instituciones": metricas_instituciones(mh),
        "alertas": calcular_alertas(tablas, corte, criterio, mh, menciones, mc, enlaces),
        "rezago_menciones": menciones,
        "rezago_hitos": rezago_por_hito(menciones, mh),
        "rezago_instituciones": rezago_por_institucion(menciones, mh),
        "participacion_compromisos": participacion_compromisos(tablas.actores, tablas.compromisos),
        "participacion_organizaciones": participacion_organizaciones(tablas.actores),
        "enlaces_evidencia": enlaces,
    }
    if valoraciones is None:
        return resultado
    alertas = alertas_valoraciones(tablas, resultado, valoraciones)
    resultado = agregar_valoraciones(resultado, valoraciones)
    resultado["alertas"] = tabla_alertas([*resultado["alertas"].to_dict("records"), *alertas])
    return resultado


def csv_determinista(tabla: pd.DataFrame) -> bytes:
    """CSV con bytes reproducibles: UTF-8, LF, reales con ``%.10g``, fechas ISO, lógicos ``true``/``false``.

    El orden de las filas es el de ``tabla`` (cada función ya ordena las suyas).
    """
    salida = tabla.copy()
    for columna in salida.columns:
        serie = salida[columna]
        if pd.api.types.is_datetime64_any_dtype(serie):
            formato = "%Y-%m-%d %H:%M:%S" if columna in COLUMNAS_FECHA_HORA else "%Y-%m-%d"
            salida[columna] = serie.dt.strftime(formato).fillna("")
        elif pd.api.types.is_bool_dtype(serie):
            salida[columna] = serie.map({True: "true", False: "false"}).fillna("")
    buffer = io.StringIO()
    salida.to_csv(buffer, index=False, lineterminator="\n", float_format="%.10g")
    return buffer.getvalue().encode("utf-8")


def metricas_bytes(tablas_dict: dict[str, pd.DataFrame], parametros: dict | None = None) -> dict[str, bytes]:
    """``<nombre>.csv`` por tabla (y ``parametros.json`` si se da), serializados en memoria."""
    archivos = {f"{nombre}.csv": csv_determinista(tabla) for nombre, tabla in sorted(tablas_dict.items())}
    if parametros is not None:
        texto = json.dumps(parametros, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        archivos["parametros.json"] = texto.encode("utf-8")
    return archivos


def escribir_metricas(tablas_dict: dict[str, pd.DataFrame], out_dir: str | Path, parametros: dict | None = None) -> list[Path]:
    """Publica las tablas en ``out_dir``, todas a la vez, sin tocar archivos que no creó analisis."""
    return publicar_archivos(out_dir, metricas_bytes(tablas_dict, parametros))
