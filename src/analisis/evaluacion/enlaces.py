"""Estado de los enlaces de evidencia al corte, según las comprobaciones observadas hasta entonces.

``analisis enlaces`` guarda cada comprobación como una observación fechada en
la carpeta del plan y ``analisis parse`` las copia todas en la tabla
``enlaces`` del paquete (ver :mod:`analisis.lectura.enlaces`). Un informe solo
puede usar lo que se sabía a su fecha de corte: para cada enlace citado por un
avance registrado hasta el corte vale la comprobación **más reciente hecha
hasta el final del día de corte** (día UTC de la consulta). Si no hay
ninguna, el enlace queda «sin comprobar al corte»; una comprobación posterior
al corte no cuenta, aunque exista.

El estado se busca por dirección, no por avance: lo que responde una dirección
no depende de qué avance la cite, y así una comprobación sigue valiendo si el
tablero renumera sus avances o si dos avances citan el mismo documento.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..lectura.enlaces import urls_de_avances
from .periodos import limite_corte

SIN_COMPROBAR = "sin_comprobar"
ESTADOS_AL_CORTE = ("ok", "redirigido", "roto", "sin_respuesta", SIN_COMPROBAR)
COLUMNAS = ["compromiso", "hito_id", "avance_id", "linea", "url", "estado", "codigo_http", "url_final", "fecha_consulta"]


def enlaces_al_corte(avances: pd.DataFrame, observaciones: pd.DataFrame, corte: date, compromiso_de: dict) -> pd.DataFrame:
    """Una fila por (avance, enlace) de ``avances`` con el estado de su última comprobación hasta ``corte``.

    ``avances`` son los que cuentan al corte (ya filtrados); ``observaciones``,
    la tabla ``enlaces`` del paquete. Sin comprobación hasta el corte, ``estado``
    es :data:`SIN_COMPROBAR` y las demás columnas de la comprobación van vacías.
    Orden: el de los avances (numérico) y el de los enlaces en su texto.
    """
    pares = urls_de_avances(avances)
    linea_de = dict(zip(avances["avance_id"].astype(str), avances["linea"]))
    hito_de = dict(zip(avances["avance_id"].astype(str), avances["hito_id"].astype(str)))
    hasta_corte = observaciones[observaciones["fecha_consulta"] < limite_corte(corte)]
    ultimas = (
        hasta_corte.sort_values(["fecha_consulta", "archivo"], kind="mergesort")
        .drop_duplicates("url", keep="last")
        .set_index("url")
    )
    filas = []
    for avance_id, url in pares:
        fila = {
            "compromiso": compromiso_de.get(hito_de[avance_id]),
            "hito_id": hito_de[avance_id],
            "avance_id": avance_id,
            "linea": linea_de[avance_id],
            "url": url,
            "estado": SIN_COMPROBAR,
            "codigo_http": None,
            "url_final": "",
            "fecha_consulta": pd.NaT,
        }
        if url in ultimas.index:
            o = ultimas.loc[url]
            fila.update(estado=o["estado"], codigo_http=o["codigo_http"], url_final=o["url_final"], fecha_consulta=o["fecha_consulta"])
        filas.append(fila)
    tabla = pd.DataFrame(filas, columns=COLUMNAS)
    return tabla.astype(
        {"compromiso": "Int64", "hito_id": "str", "avance_id": "str", "linea": "Int64", "url": "str", "estado": "str",
         "codigo_http": "Int64", "url_final": "str", "fecha_consulta": "datetime64[ns]"}
    )


def cuentas_por_estado(tabla: pd.DataFrame) -> dict[str, int]:
    """Enlaces de :func:`enlaces_al_corte` por estado, en el orden de :data:`ESTADOS_AL_CORTE` (todos, también los 0)."""
    cuentas = tabla["estado"].value_counts()
    return {estado: int(cuentas.get(estado, 0)) for estado in ESTADOS_AL_CORTE}


def texto_comprobacion(estado: str, codigo_http, url_final: str, fecha_consulta) -> str:
    """La frase de una comprobación: «enlace comprobado el 2025-03-20: roto (404)», «sin comprobar al corte»."""
    if estado == SIN_COMPROBAR or fecha_consulta is None or pd.isna(fecha_consulta):
        return "sin comprobar al corte"
    dia = pd.Timestamp(fecha_consulta).strftime("%Y-%m-%d")
    codigo = "" if codigo_http is None or pd.isna(codigo_http) else f" ({int(codigo_http)})"
    if estado == "ok":
        resultado = f"ok{codigo}"
    elif estado == "redirigido":
        resultado = f"redirigido a {url_final}{codigo}"
    elif estado == "roto":
        # Sin código: la dirección no era válida o las redirecciones no terminaban.
        resultado = f"roto{codigo}" if codigo else "roto (dirección no válida o redirecciones sin fin)"
    else:
        resultado = "sin respuesta"
    return f"enlace comprobado el {dia}: {resultado}"
