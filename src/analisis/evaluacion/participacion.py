"""Participación de la sociedad civil en los compromisos.

Cada compromiso lista sus organizaciones por sector (GOBIERNO, OSC, OTROS); el
analizador ya separa las listas «A; B» en filas. Aquí se cuentan
organizaciones por compromiso y compromisos por organización.

Un mismo nombre aparece escrito de varias formas («Alas de Mariposas» en el
compromiso 4, «Alas de mariposas» en el 5), así que se agrupa por una *clave*
sin tildes, sin mayúsculas, con espacios colapsados, comillas y guiones
tipográficos unificados y sin espacios alrededor de los guiones («CoST-
Guatemala» = «CoST - Guatemala»). Se muestra la escritura más frecuente; a
igualdad, la primera que aparece en el tablero.

Dos organizaciones unidas por « y » en una misma entrada («FLACSO y Cruz
Roja») se separan solo si los datos lo respaldan: una de las dos partes figura
sola como organización en otra entrada del tablero y la otra empieza con
mayúscula (un nombre propio, no «y asociados»). Así «Fe y Alegría», que no
tiene ninguna de sus partes como organización aparte, sigue siendo una.

``participacion_organizaciones`` lista solo OSC y OTROS: las instituciones de
gobierno son responsables, no participantes, y se analizan en
``metricas_instituciones.csv``.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from ..lectura.fechas import sin_acentos

SECTOR_OSC = "OSC"
SECTOR_OTROS = "OTROS"
SECTOR_GOBIERNO = "GOBIERNO"
SECTORES_SOCIEDAD = (SECTOR_OSC, SECTOR_OTROS)

COLUMNAS_COMPROMISOS = [
    "compromiso",
    "organizaciones_osc",
    "organizaciones_otros",
    "instituciones_gobierno",
    "nombres_osc",
    "nombres_otros",
]
COLUMNAS_ORGANIZACIONES = ["organizacion", "sectores", "compromisos", "lista_compromisos"]

_COMILLAS = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-"})


def limpiar_nombre(nombre: str) -> str:
    """Escritura mostrada: espacios colapsados, sin bordes."""
    return re.sub(r"\s+", " ", str(nombre)).strip()


def clave_organizacion(nombre: str) -> str:
    """Clave de agrupación de una organización (ver la documentación del módulo)."""
    texto = sin_acentos(limpiar_nombre(nombre).translate(_COMILLAS)).casefold()
    texto = re.sub(r"\s*-\s*", "-", texto)
    return texto.strip(" .,;:")


_RE_Y = re.compile(r"\s+y\s+")


def separar_unidos(actores: pd.DataFrame) -> pd.DataFrame:
    """Parte «A y B» en dos filas cuando los datos dicen que son dos organizaciones.

    Una parte es organización conocida si su clave es la de otra entrada del
    tablero (de cualquier compromiso o sector); la otra debe empezar con
    mayúscula. Las filas nuevas conservan compromiso, sector y línea. Los
    nombres de instituciones de gobierno no se tocan («Ministerio de Trabajo y
    Previsión Social» es uno).
    """
    conocidas = set(actores["nombre"].map(clave_organizacion))
    filas = []
    for fila in actores.to_dict("records"):
        nombre = limpiar_nombre(fila["nombre"])
        partes = _RE_Y.split(nombre)
        if fila["sector"] in SECTORES_SOCIEDAD and len(partes) == 2 and all(partes):
            a, b = partes
            if (clave_organizacion(a) in conocidas and b[:1].isupper()) or (
                clave_organizacion(b) in conocidas and a[:1].isupper()
            ):
                filas.extend({**fila, "nombre": parte} for parte in partes)
                continue
        filas.append(fila)
    return pd.DataFrame(filas, columns=actores.columns).astype(actores.dtypes.to_dict())


def con_nombres(actores: pd.DataFrame) -> pd.DataFrame:
    """Actores en orden del tablero con su clave y el nombre mostrado de su grupo (columnas ``clave``, ``mostrado``).

    El nombre mostrado se elige con todo el plan a la vista, así que una
    organización se escribe igual en todas las secciones y fichas del informe.
    """
    actores = separar_unidos(actores)
    orden = actores.sort_values(["linea", "compromiso"], kind="mergesort").reset_index(drop=True)
    escritos = orden["nombre"].map(limpiar_nombre)
    claves = orden["nombre"].map(clave_organizacion)
    mostrado: dict[str, str] = {}
    for k, grupo in escritos.groupby(claves, sort=False):
        variantes = grupo.tolist()
        frecuencia = Counter(variantes)
        mostrado[k] = max(variantes, key=lambda v: (frecuencia[v], -variantes.index(v)))
    return orden.assign(clave=claves, mostrado=claves.map(mostrado))


def participacion_compromisos(actores: pd.DataFrame, compromisos: pd.DataFrame | None = None) -> pd.DataFrame:
    """Una fila por compromiso: cuántas OSC, otros actores e instituciones de gobierno participan.

    Incluye los compromisos sin actores (con ceros) si se da ``compromisos``.
    Los nombres se listan en el orden del tablero, separados por «; ».
    """
    datos = con_nombres(actores)
    numeros = set(datos["compromiso"])
    if compromisos is not None:
        numeros |= set(compromisos["compromiso"])
    por_compromiso = dict(tuple(datos.groupby("compromiso", sort=False)))
    filas = []
    for c in sorted(numeros):
        propios = por_compromiso.get(c, datos.iloc[0:0])

        def unicos(sector: str) -> list[str]:
            del_sector = propios[propios["sector"] == sector].drop_duplicates("clave")
            return del_sector["mostrado"].tolist()

        osc, otros, gobierno = unicos(SECTOR_OSC), unicos(SECTOR_OTROS), unicos(SECTOR_GOBIERNO)
        filas.append(
            {
                "compromiso": c,
                "organizaciones_osc": len(osc),
                "organizaciones_otros": len(otros),
                "instituciones_gobierno": len(gobierno),
                "nombres_osc": "; ".join(osc),
                "nombres_otros": "; ".join(otros),
            }
        )
    tabla = pd.DataFrame(filas, columns=COLUMNAS_COMPROMISOS)
    return tabla.astype(
        {
            "compromiso": "int64",
            "organizaciones_osc": "int64",
            "organizaciones_otros": "int64",
            "instituciones_gobierno": "int64",
            "nombres_osc": "str",
            "nombres_otros": "str",
        }
    )


def participacion_organizaciones(actores: pd.DataFrame) -> pd.DataFrame:
    """Una fila por organización de la sociedad civil u otro sector: en cuántos compromisos participa.

    Orden: más compromisos primero; a igualdad, por clave (alfabético sin tildes).
    """
    datos = con_nombres(actores)
    datos = datos[datos["sector"].isin(SECTORES_SOCIEDAD)]
    filas = []
    for k, grupo in datos.groupby("clave", sort=True):
        compromisos = sorted(set(int(c) for c in grupo["compromiso"]))
        filas.append(
            {
                "organizacion": grupo["mostrado"].iloc[0],
                "sectores": "; ".join(sorted(set(grupo["sector"]))),
                "compromisos": len(compromisos),
                "lista_compromisos": "; ".join(str(c) for c in compromisos),
                "_clave": k,
            }
        )
    tabla = pd.DataFrame(filas, columns=[*COLUMNAS_ORGANIZACIONES, "_clave"])
    tabla = tabla.astype(
        {"organizacion": "str", "sectores": "str", "compromisos": "int64", "lista_compromisos": "str", "_clave": "str"}
    )
    tabla = tabla.assign(_negativo=-tabla["compromisos"]).sort_values(["_negativo", "_clave"], kind="mergesort")
    return tabla.drop(columns=["_negativo", "_clave"]).reset_index(drop=True)
