"""Gráficos de los informes (matplotlib), rotulados en español y legibles impresos en A4.

Cada función recibe tablas ya calculadas y devuelve la figura; no calcula
métricas (eso es :mod:`analisis.metricas`). Los colores distinguen estados de
forma que también se lean en blanco y negro (tramas y rótulos directos).
"""

from __future__ import annotations

from datetime import date

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .graficos import partir_etiqueta
from ..evaluacion.reportado import NO_OBSERVADO

AZUL = "#1f4e79"
GRIS = "#9aa5b1"
NARANJA = "#d9822b"
ROJO = "#b3261e"
VERDE = "#2e7d32"
ANCHO_A4 = 6.7  # pulgadas útiles en un A4 con márgenes de 2 cm


def avance_compromisos(metricas_compromisos: pd.DataFrame, titulos: pd.Series | None = None) -> Figure:
    """Barras horizontales: avance reportado por el tablero frente al recalculado, por compromiso."""
    df = metricas_compromisos.sort_values("compromiso", ascending=False)
    etiquetas = [
        f"C{c}" + (f" · {partir_etiqueta(str(titulos.get(c, '')), 38, 2)}" if titulos is not None else "")
        for c in df["compromiso"]
    ]
    alto = max(2.5, 0.75 * len(df) + 1.2)
    fig, ax = plt.subplots(figsize=(ANCHO_A4, alto))
    y = range(len(df))
    # Sin captura al corte no hay reportado que dibujar: la leyenda lo dice.
    reportado = "Reportado por el tablero" + (
        f": {NO_OBSERVADO}" if df["porcentaje_reportado"].isna().all() else ""
    )
    ax.barh([i + 0.2 for i in y], df["porcentaje_reportado"].fillna(0), height=0.4, color=GRIS, label=reportado)
    ax.barh([i - 0.2 for i in y], df["avance_calculado"], height=0.4, color=AZUL, label="Recalculado (este informe)")
    for i, (rep, cal) in enumerate(zip(df["porcentaje_reportado"], df["avance_calculado"])):
        if pd.notna(rep):
            ax.text(rep + 1, i + 0.2, f"{rep:.0f} %", va="center", fontsize=7)
        ax.text(cal + 1, i - 0.2, f"{cal:.0f} %", va="center", fontsize=7, color=AZUL)
    ax.set_yticks(list(y), etiquetas, fontsize=7)
    ax.set_xlim(0, 110)
    ax.set_xlabel("Avance (%)")
    ax.set_title("Avance por compromiso: reportado frente a recalculado")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def estados_hitos(conteos: pd.DataFrame, columna_grupo: str, titulo: str) -> Figure:
    """Barras apiladas de hitos por estado (no iniciado, en progreso, completado) para cada grupo."""
    df = conteos.iloc[::-1]
    etiquetas = [partir_etiqueta(str(v), 40, 2) for v in df[columna_grupo]]
    alto = max(2.5, 0.45 * len(df) + 1.4)
    fig, ax = plt.subplots(figsize=(ANCHO_A4, alto))
    izquierda = pd.Series(0, index=df.index, dtype="float64")
    for columna, color, nombre, trama in (
        ("hitos_completados", VERDE, "Completados", ""),
        ("hitos_en_progreso", NARANJA, "En progreso", "//"),
        ("hitos_no_iniciados", GRIS, "No iniciados", ".."),
    ):
        ax.barh(etiquetas, df[columna], left=izquierda, color=color, hatch=trama, edgecolor="white", label=nombre)
        izquierda = izquierda + df[columna]
    ax.set_xlabel("Número de hitos")
    ax.set_title(titulo)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig


def cronograma(hitos: pd.DataFrame, avances: pd.DataFrame, corte: date, estados: pd.Series | None = None) -> Figure:
    """Diagrama de Gantt: un renglón por hito con su intervalo de fechas, sus avances y la fecha de corte.

    Los hitos sin fechas se listan sin barra (con la marca «sin fechas»), para
    que su ausencia se vea en lugar de desaparecer del gráfico.
    """
    h = hitos.sort_values(["compromiso", "numero"], ascending=False).reset_index(drop=True)
    alto = max(3.0, 0.26 * len(h) + 1.4)
    fig, ax = plt.subplots(figsize=(ANCHO_A4, alto))
    fechas = pd.concat([h["fecha_inicio"], h["fecha_fin"], avances["fecha_registro"]]).dropna()
    minimo = (fechas.min() if not fechas.empty else pd.Timestamp(corte)) - pd.Timedelta(days=30)
    for i, fila in h.iterrows():
        estado = estados.get(fila["hito_id"], "") if estados is not None else ""
        color = {"completado": VERDE, "en progreso": NARANJA}.get(estado, GRIS)
        if pd.notna(fila["fecha_inicio"]) and pd.notna(fila["fecha_fin"]):
            inicio, fin = mdates.date2num(fila["fecha_inicio"]), mdates.date2num(fila["fecha_fin"])
            ax.barh(i, fin - inicio, left=inicio, height=0.55, color=color, alpha=0.85)
        else:
            # En coordenadas del eje (x entre 0 y 1): el rótulo queda dentro del
            # gráfico sea cual sea el intervalo de fechas.
            ax.text(0.005, i, "sin fechas", va="center", fontsize=6, color=ROJO, transform=ax.get_yaxis_transform())
        propios = avances.loc[avances["hito_id"] == fila["hito_id"], "fecha_registro"]
        ax.plot(mdates.date2num(propios), [i] * len(propios), "k|", markersize=7, markeredgewidth=1)
    maximo = max(fechas.max() if not fechas.empty else pd.Timestamp(corte), pd.Timestamp(corte)) + pd.Timedelta(days=30)
    ax.set_xlim(mdates.date2num(minimo), mdates.date2num(maximo))
    ax.axvline(mdates.date2num(pd.Timestamp(corte)), color=ROJO, linestyle="--", linewidth=1)
    ax.text(mdates.date2num(pd.Timestamp(corte)), len(h) - 0.3, " corte", color=ROJO, fontsize=7, va="bottom")
    ax.set_yticks(range(len(h)), [f"Hito {x}" for x in h["hito_id"]], fontsize=6)
    ax.set_ylim(-0.8, len(h) + 0.4)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    ax.tick_params(axis="x", labelsize=7, rotation=45)
    ax.set_title("Cronograma de hitos: plazo, avances registrados (|) y fecha de corte")
    leyenda = [
        Patch(color=VERDE, label="Completado"),
        Patch(color=NARANJA, label="En progreso"),
        Patch(color=GRIS, label="No iniciado"),
    ]
    ax.legend(handles=leyenda, loc="upper left", fontsize=6, frameon=False, ncols=3, bbox_to_anchor=(0, -0.12))
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def barras_simples(serie: pd.Series, titulo: str, eje: str, color: str = AZUL, maximo: int = 20) -> Figure:
    """Barras horizontales de una serie (p. ej. compromisos por organización), las ``maximo`` mayores."""
    s = serie.sort_values(ascending=False).head(maximo).iloc[::-1]
    alto = max(2.2, 0.3 * len(s) + 1.2)
    fig, ax = plt.subplots(figsize=(ANCHO_A4, alto))
    ax.barh([partir_etiqueta(str(i), 45, 1) for i in s.index], s.values, color=color)
    for i, v in enumerate(s.values):
        ax.text(v, i, f" {v:g}", va="center", fontsize=7)
    ax.set_xlabel(eje)
    ax.set_title(titulo)
    ax.tick_params(axis="y", labelsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    return fig
