"""Una ficha por compromiso: texto completo, actores, hitos con su línea de tiempo, evidencia y alertas.

Cada ficha junta lo que el resto del informe reparte en tablas: quien evalúa
lee un compromiso de principio a fin en una sola página (o varias seguidas; en
el PDF cada compromiso empieza en página nueva).

El HTML sale de la plantilla Jinja ``plantillas/fichas.html.j2`` con escape
automático: los textos del tablero nunca se interpretan. Los enlaces de
evidencia solo se vuelven pulsables si son ``http``/``https``; cualquier otro
texto se muestra tal cual. Después, como toda salida de un cuaderno, pasa por
:func:`analisis.informe.html.limpiar_html` al exportarse.

Junto a cada enlace va su última comprobación hecha hasta el corte («enlace
comprobado el 2025-03-20: roto (404)») o «sin comprobar al corte»; sale de la
tabla ``enlaces_evidencia`` de las métricas (ver
:mod:`analisis.evaluacion.enlaces`), nunca de una consulta a la red.

Si las métricas traen valoraciones de quien evalúa (columnas que terminan en
``_valorada`` o ``_valorado``, p. ej. ``completitud_valorada``), se muestran
junto al avance reportado y el recalculado; si no, la columna no aparece.
"""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import HTML

from ..evaluacion.enlaces import SIN_COMPROBAR, texto_comprobacion
from ..evaluacion.participacion import SECTOR_GOBIERNO, SECTOR_OSC, SECTOR_OTROS, con_nombres, limpiar_nombre
from ..lectura.instituciones import normalizar_institucion
from ..lectura.glosario import etiqueta, etiquetas
from .contexto import Contexto
from .plantilla import renderizar
from .resumen import avances_al_corte, detalle_alertas
from .texto import porcentaje, porcentaje_publicado

_RE_ENLACE = re.compile(r"https?://\S+", re.IGNORECASE)
_SUFIJOS_VALORACION = ("_valorada", "_valorado")
_SECTORES = ((SECTOR_GOBIERNO, "Gobierno"), (SECTOR_OSC, "Sociedad civil (OSC)"), (SECTOR_OTROS, "Otros actores"))


def _texto(valor) -> str:
    if valor is None or valor is pd.NA or valor is pd.NaT or (isinstance(valor, float) and pd.isna(valor)):
        return ""
    return str(valor).strip()


def _fecha(valor, hora: bool = False) -> str:
    if valor is None or pd.isna(valor):
        return "—"
    return pd.Timestamp(valor).strftime("%Y-%m-%d %H:%M" if hora else "%Y-%m-%d")


def _pct(valor) -> str:
    return porcentaje(None if valor is None or pd.isna(valor) else valor)


def _plazo(inicio, fin) -> str:
    if pd.isna(inicio) and pd.isna(fin):
        return "sin fechas en el tablero"
    if pd.isna(fin):
        return f"desde {_fecha(inicio)}, sin fecha de fin"
    if pd.isna(inicio):
        return f"sin fecha de inicio, hasta {_fecha(fin)}"
    return f"{_fecha(inicio)} a {_fecha(fin)}"


def enlaces(texto: str) -> list[str]:
    """Las URL ``http``/``https`` de un texto (separadas por espacios), sin repetir y en orden."""
    vistos: list[str] = []
    for url in _RE_ENLACE.findall(_texto(texto)):
        if url not in vistos:
            vistos.append(url)
    return vistos


def _valoraciones(fila: pd.Series) -> list[tuple[str, str]]:
    """(nombre legible, valor) de cada columna de valoración presente en la fila."""
    pares = []
    for columna, valor in fila.items():
        if str(columna).endswith(_SUFIJOS_VALORACION):
            nombre = str(columna).replace("_", " ")
            pares.append((nombre[:1].upper() + nombre[1:], _texto(valor) or "sin valorar"))
    return pares


def _actores(nombrados: pd.DataFrame, compromiso: int, responsables: list[str]) -> list[tuple[str, list[str]]]:
    """Participantes por sector, escritos como en el resto del informe.

    ``nombrados`` es :func:`con_nombres` de todo el plan: cada organización con
    la escritura que usan la sección de participación y las demás fichas, y
    «A y B» partido si otra entrada del plan nombra a una de las dos. Las
    instituciones de gobierno llevan el nombre del catálogo, como los hitos. La
    lista de gobierno no se repite si es la de responsables de implementación.
    """
    propios = nombrados[nombrados["compromiso"] == compromiso]
    grupos = []
    for sector, titulo in _SECTORES:
        filas = propios[propios["sector"] == sector]
        if sector == SECTOR_GOBIERNO:
            nombres = list(dict.fromkeys(normalizar_institucion(n) for n in filas["nombre"]))
            if set(nombres) == set(responsables):
                continue
        else:
            nombres = list(dict.fromkeys(filas["mostrado"]))
        if nombres:
            grupos.append((titulo, nombres))
    return grupos


def _comprobaciones(ctx: Contexto) -> dict[tuple[str, str], dict]:
    """``{(avance_id, url): {"estado", "texto"}}`` de cada enlace de evidencia al corte."""
    return {
        (e["avance_id"], e["url"]): {
            "estado": e["estado"],
            "texto": texto_comprobacion(e["estado"], e["codigo_http"], e["url_final"], e["fecha_consulta"]),
        }
        for e in ctx.metricas["enlaces_evidencia"].to_dict("records")
    }


def _enlaces_comprobados(avance_id: str, urls: str, comprobaciones: dict) -> list[dict]:
    sin_comprobar = {"estado": SIN_COMPROBAR, "texto": texto_comprobacion(SIN_COMPROBAR, None, "", None)}
    return [{"url": url, **comprobaciones.get((avance_id, url), sin_comprobar)} for url in enlaces(urls)]


def datos_fichas(ctx: Contexto) -> list[dict]:
    """Lo que muestra cada ficha, ya formateado como texto (la plantilla no calcula nada)."""
    comprobaciones = _comprobaciones(ctx)
    mc = ctx.metricas["metricas_compromisos"].set_index("compromiso")
    mh = ctx.metricas["metricas_hitos"].set_index("hito_id")
    avances = avances_al_corte(ctx).sort_values(["hito_id", "fecha_registro", "numero"], kind="mergesort")
    estados, niveles, series = etiquetas("estado"), etiquetas("nivel"), etiquetas("serie")
    nombrados = con_nombres(ctx.tablas.actores)
    fichas = []
    for c in ctx.tablas.compromisos.sort_values("compromiso").itertuples(index=False):
        metricas = mc.loc[c.compromiso]
        hitos = []
        for h in ctx.tablas.hitos[ctx.tablas.hitos["compromiso"] == c.compromiso].sort_values("numero").itertuples(index=False):
            m = mh.loc[h.hito_id]
            linea_tiempo = [
                {
                    "avance_id": a.avance_id,
                    "fecha": _fecha(a.fecha_registro, hora=True),
                    "porcentaje": "sin porcentaje" if pd.isna(a.porcentaje) else f"{float(a.porcentaje):g} %",
                    "descripcion": _texto(a.descripcion),
                    "medios": _texto(a.medios_verificacion),
                    "enlaces": _enlaces_comprobados(str(a.avance_id), a.urls, comprobaciones),
                }
                for a in avances[avances["hito_id"] == h.hito_id].itertuples(index=False)
            ]
            hitos.append(
                {
                    "hito_id": h.hito_id,
                    "institucion": _texto(m["institucion_normalizada"]) or _texto(h.institucion),
                    "plazo": _plazo(h.fecha_inicio, h.fecha_fin),
                    "estado": estados.get(m["estado"], m["estado"]),
                    "nivel": niveles.get(m["nivel_irm"], m["nivel_irm"]),
                    "serie": series.get(m["tipo_serie"], m["tipo_serie"]),
                    "avance": _pct(m["avance"]),
                    "vencido": bool(m["vencido"]),
                    "sin_fin": pd.isna(h.fecha_fin),
                    "descripcion": _texto(h.descripcion),
                    "resultados": _texto(h.resultados_esperados),
                    "valoraciones": _valoraciones(m),
                    "avances": linea_tiempo,
                }
            )
        alertas = detalle_alertas(ctx, int(c.compromiso))
        responsables = list(
            dict.fromkeys(normalizar_institucion(r) for r in _texto(c.responsables).split("\n") if limpiar_nombre(r))
        )
        fichas.append(
            {
                "numero": int(c.compromiso),
                "titulo": _texto(c.titulo),
                "descripcion": _texto(c.descripcion),
                "responsables": responsables,
                "actores": _actores(nombrados, int(c.compromiso), responsables),
                "reportado": porcentaje_publicado(metricas["porcentaje_reportado"]),
                "recalculado": _pct(metricas["avance_calculado"]),
                "nivel": niveles.get(metricas["nivel_irm"], metricas["nivel_irm"]),
                "valoraciones": _valoraciones(metricas),
                "hitos": hitos,
                "alertas": [
                    {
                        "etiqueta": a.etiqueta,
                        "hito": a.hito_id or "—",
                        "avance": a.avance_id or "—",
                        "linea": "" if pd.isna(a.linea) else str(int(a.linea)),
                        "detalle": a.detalle,
                    }
                    for a in alertas.itertuples(index=False)
                ],
            }
        )
    return fichas


def html_fichas(ctx: Contexto) -> str:
    """El HTML de todas las fichas (texto, para pruebas y para :func:`fichas`)."""
    return renderizar(
        "fichas.html.j2",
        fichas=datos_fichas(ctx), corte=ctx.corte.isoformat(), criterio=etiqueta("criterio", ctx.criterio)
    )


def fichas(ctx: Contexto) -> HTML:
    """Las fichas de todos los compromisos, para mostrar en un cuaderno."""
    return HTML(html_fichas(ctx))
