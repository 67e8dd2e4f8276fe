"""Gráficos de los informes: configuración determinista y los gráficos mismos.

Es el único módulo de gráficos: una paleta (:data:`PALETA`), un ancho de página
(:data:`ANCHO_PAGINA_PULGADAS`) y las funciones que dibujan cada gráfico de los
cuadernos a partir de tablas ya calculadas (no calculan métricas).

Legibles con cualquier tamaño de plan: ningún panel tiene más de
:data:`MAXIMO_FILAS` barras o renglones. El avance por compromiso y el
cronograma se parten en varios paneles (uno debajo del otro, por compromiso);
las instituciones se agregan (las mayores y una fila «Otras»), y las barras
simples muestran las mayores.

Llame a :func:`configurar` en la primera celda de cada cuaderno, *antes* de
dibujar. Deja matplotlib así:

* **Sin pantalla.** Fuera de un núcleo de Jupyter se usa el backend ``Agg``, de
  modo que los cuadernos se ejecutan igual en un servidor o en CI.
* **SVG como salida en línea.** En un núcleo IPython las figuras se publican como
  ``image/svg+xml`` (texto) en vez de PNG (binario en base64): el cuaderno
  ejecutado se puede comparar con ``git diff`` y el PDF conserva gráficos
  vectoriales nítidos.
* **Bytes idénticos entre ejecuciones.** ``svg.hashsalt`` fijo (los ``id`` de
  los trazados ya no son aleatorios) y sin fecha ni versión de matplotlib en los
  metadatos del SVG/PDF (``metadata={'Date': None, 'Creator': None}``; no hay
  ``rcParams`` para esto, por eso se pasa a la salida en línea y a
  :func:`guardar_figura`).
* **Texto como texto** (``svg.fonttype = 'none'``): WeasyPrint dibuja los
  ``<text>`` del SVG con las fuentes DejaVu del sistema, con tildes y «ñ»
  correctas (comprobado), el texto del gráfico se puede buscar y copiar en el
  PDF, y el SVG pesa unas cuatro veces menos que con ``'path'``. Se eligió DejaVu
  Sans porque está instalada donde se genera el PDF y es más ancha que sus
  sustitutos habituales (Arial, Liberation Sans): si el HTML se abre en un
  equipo sin DejaVu, las etiquetas caben igual.
* **Un solo dibujo por figura.** Con el backend inline, pyplot ya no redibuja
  cada figura con Agg al final de la celda (nadie ve ese mapa de bits): solo se
  dibuja el SVG que se publica.
* **Tamaños para A4.** Figuras de 16 cm de ancho (cabe en los 17,4 cm útiles
  de la página sin reducirse) y texto de 8-10 pt: impreso, el texto del
  gráfico tiene el mismo tamaño que el de las tablas y el cuerpo.
* **El texto de los datos es texto.** ``text.parse_math`` apagado: un nombre
  con dos signos «$» no se lee como fórmula (mathtext) ni hace fallar el
  dibujo.
* **Tablas completas.** pandas recorta por defecto los textos a 50 caracteres
  («…») y oculta columnas en tablas anchas; en un informe se pierde
  información, así que se quitan ambos límites (``display.max_colwidth`` y
  ``display.max_columns``). El número de filas se deja como está.

Además ofrece ayudas pequeñas que los cuadernos necesitan a menudo:
:func:`partir_etiqueta` (nombres largos en un eje),
:func:`guardar_figura` (archivo reproducible) y :func:`fecha_reproducible`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import matplotlib

from ..escritura import fecha_reproducible
from ..evaluacion.reportado import NO_OBSERVADO
from .texto import neutralizar_bidi, porcentaje

#: Metadatos que se quitan de cada SVG/PDF: la fecha cambia en cada ejecución y
#: la versión de matplotlib ensucia los diffs al actualizar el entorno.
METADATOS_FIJOS: dict[str, None] = {"Date": None, "Creator": None}

#: Ancho de las figuras (16 cm): cabe en el ancho útil de la página A4.
ANCHO_PAGINA_PULGADAS = 16 / 2.54

#: Colores con nombre de la paleta: los estados de un hito se distinguen también
#: impresos en escala de grises (y llevan tramas y rótulos directos).
AZUL = "#1f4e79"
NARANJA = "#c55a11"
VERDE = "#548235"
OCRE = "#7f6000"
MORADO = "#7030a0"
CELESTE = "#2e75b6"
GRIS = "#a5a5a5"
ROJO = "#b3261e"

#: La paleta, en el orden en que matplotlib asigna colores a las series.
PALETA = (AZUL, NARANJA, VERDE, OCRE, MORADO, CELESTE, GRIS, ROJO)

#: Barras o renglones como máximo en un panel: más ya no se leen impresos.
MAXIMO_FILAS = 30

ESTILO: dict[str, Any] = {
    "svg.hashsalt": "analisis",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,  # TrueType incrustada: el texto del PDF sigue siendo texto
    # Symbola (paquete fonts-symbola, ver scripts/entorno.sh) es la fuente de respaldo
    # de los emoji y símbolos que DejaVu no tiene. matplotlib busca un glifo que
    # falta en las familias siguientes de font.family (no dentro de la lista de
    # font.sans-serif, de la que solo usa la primera fuente instalada).
    "font.family": ["sans-serif", "Symbola"],
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    # El texto de los datos es texto: sin esto, «$x$» en un título se compone como
    # fórmula y «$$\LaTeX$$» hace fallar el gráfico.
    "text.parse_math": False,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.titlesize": 11,
    "figure.figsize": (ANCHO_PAGINA_PULGADAS, ANCHO_PAGINA_PULGADAS * 0.55),
    "figure.dpi": 100,
    "savefig.dpi": 200,  # solo afecta a PNG/JPEG
    "savefig.bbox": "tight",
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": matplotlib.cycler(color=list(PALETA)),
    "axes.formatter.use_locale": False,  # no depender del locale de la máquina
    "text.parse_math": False,  # «$» en un nombre es un signo, no una fórmula
}


def _nucleo_ipython():
    """El shell de IPython si hay uno con núcleo (Jupyter, papermill); si no, None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    ip = get_ipython()
    if ip is None or not hasattr(ip, "kernel"):
        return None
    return ip


def _registrar_respaldo() -> None:
    """Da a conocer Symbola a matplotlib si se instaló después de crear su caché de fuentes.

    matplotlib lista las fuentes del sistema una sola vez y guarda la lista; una
    fuente instalada más tarde (``scripts/entorno.sh``) no estaría en ella.
    """
    from matplotlib import font_manager

    if any(f.name == "Symbola" for f in font_manager.fontManager.ttflist):
        return
    for ruta in font_manager.findSystemFonts(fontext="ttf"):
        if Path(ruta).name.lower().startswith("symbola"):
            font_manager.fontManager.addfont(ruta)
            return


def configurar() -> None:
    """Configura matplotlib para gráficos deterministas y legibles impresos.

    Es idempotente. En un núcleo de Jupyter no cambia el backend (``inline``);
    en cualquier otro caso fija ``Agg``. Ver el docstring del módulo para el
    porqué de cada ajuste.
    """
    ip = _nucleo_ipython()
    if ip is None:
        # Sin núcleo no hay dónde mostrar ventanas: Agg evita fallos sin pantalla.
        matplotlib.use("Agg")
    matplotlib.rcParams.update(ESTILO)
    _registrar_respaldo()
    # Symbola solo tiene peso normal: para un título en negrita matplotlib avisa en
    # su registro («Failed to find font weight bold for Symbola») y usa el normal,
    # que es lo buscado. Ese aviso iría a la salida de errores de cada cuaderno.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    pd = importlib.import_module("pandas")
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_columns", None)
    if ip is None:
        return

    # Importar pyplot resuelve el backend inline, que al activarse vuelve a
    # registrar sus formatos; por eso primero se importa y luego se ajusta, y
    # además se guardan los valores en InlineBackend para que cualquier
    # reactivación posterior use también SVG sin fecha.
    plt = importlib.import_module("matplotlib.pyplot")
    backend = matplotlib.get_backend()
    if backend in ("inline", "module://matplotlib_inline.backend_inline"):
        # pyplot, en modo interactivo, redibuja con Agg (mapa de bits) cada
        # figura cambiada al terminar la celda, para refrescar ventanas que con
        # el backend inline no hay; luego inline la vuelve a dibujar en SVG para
        # publicarla. El dibujo Agg no se ve en ninguna parte y costaba ~0,1 s
        # por figura. pyplot registra ese gancho al cargar el backend, que
        # ocurriría con la primera figura: se carga ya (el mismo backend) y se
        # quita el gancho. Sin el backend cargado no hay figuras de pyplot que
        # switch_backend pudiera cerrar.
        if "matplotlib_inline.backend_inline" not in sys.modules:
            plt.switch_backend(backend)
        with contextlib.suppress(ValueError):  # ya quitado (configurar es idempotente)
            ip.events.unregister("post_execute", getattr(plt, "_draw_all_if_interactive", None))
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    from matplotlib_inline.config import InlineBackend

    cfg = InlineBackend.instance(parent=ip)
    kwargs = {"bbox_inches": "tight", "metadata": dict(METADATOS_FIJOS)}
    cfg.print_figure_kwargs = kwargs
    cfg.figure_formats = {"svg"}
    set_matplotlib_formats("svg", **kwargs)


def guardar_figura(figura, ruta: str | Path) -> Path:
    """Guarda ``figura`` sin metadatos variables (fecha, versión) en ``ruta``.

    Dos llamadas con la misma figura producen los mismos bytes (también en PDF,
    ver :func:`fecha_reproducible`).

    El formato sale de la extensión (``.svg``, ``.pdf``, ``.png``). Para PNG
    matplotlib no escribe fecha, pero sí la versión en «Software»; también se
    quita para que el archivo no cambie al actualizar matplotlib.
    """
    ruta = Path(ruta)
    formato = ruta.suffix.lstrip(".").lower()
    metadatos: dict[str, None] = (
        {"Software": None} if formato == "png" else dict(METADATOS_FIJOS)
    )
    with fecha_reproducible():
        figura.savefig(ruta, format=formato, metadata=metadatos)
    return ruta


def partir_etiqueta(texto: str, ancho: int = 28, max_lineas: int = 3) -> str:
    """Parte un texto largo (p. ej. el nombre de un compromiso) en líneas para un eje.

    Corta en espacios y solo parte una palabra si por sí sola es más larga
    que una línea (un nombre sin espacios del tablero no debe ensanchar el
    eje hasta aplastar el gráfico). Si no cabe en ``max_lineas`` termina la
    última con «…», para que los nombres largos no invadan el área del gráfico.
    """
    lineas = textwrap.wrap(" ".join(neutralizar_bidi(str(texto)).split()), width=ancho, break_long_words=True)
    if len(lineas) > max_lineas:
        ultima = lineas[max_lineas - 1]
        lineas = lineas[: max_lineas - 1] + [ultima[: max(ancho - 1, 1)].rstrip() + "…"]
    return "\n".join(lineas)


# --- gráficos de los cuadernos ------------------------------------------------------------
#
# Cada función recibe tablas ya calculadas y devuelve la figura (o la lista de
# figuras, un panel por grupo, cuando los datos no caben en uno). En un núcleo
# de Jupyter todas las figuras creadas en la celda se muestran al terminarla.


def _trozos(n: int, tamanio: int) -> list[range]:
    """``range(n)`` en trozos consecutivos de ``tamanio`` como mucho, de tamaños parejos."""
    partes = max(1, math.ceil(n / tamanio))
    base, resto = divmod(n, partes)
    limites, inicio = [], 0
    for k in range(partes):
        fin = inicio + base + (1 if k < resto else 0)
        limites.append(range(inicio, fin))
        inicio = fin
    return limites


def _titulo_panel(titulo: str, parte: int, partes: int) -> str:
    return titulo if partes == 1 else f"{titulo} ({parte} de {partes})"


def avance_compromisos(metricas_compromisos, titulos=None, por_panel: int = 15) -> list:
    """Barras horizontales: avance reportado frente a recalculado, por compromiso.

    Dos barras por compromiso: ``por_panel`` compromisos (30 barras) por panel.
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    df = metricas_compromisos.sort_values("compromiso").reset_index(drop=True)
    trozos = _trozos(len(df), min(por_panel, MAXIMO_FILAS // 2))
    figuras = []
    for parte, filas in enumerate(trozos, start=1):
        trozo = df.iloc[list(filas)].iloc[::-1]
        etiquetas = [
            f"C{c}" + (f" · {partir_etiqueta(str(titulos.get(c, '')), 38, 2)}" if titulos is not None else "")
            for c in trozo["compromiso"]
        ]
        fig, ax = plt.subplots(figsize=(ANCHO_PAGINA_PULGADAS, max(2.5, 0.75 * len(trozo) + 1.2)))
        y = range(len(trozo))
        # Sin captura al corte no hay reportado que dibujar: la leyenda lo dice.
        reportado = "Reportado por el tablero" + (
            f": {NO_OBSERVADO}" if trozo["porcentaje_reportado"].isna().all() else ""
        )
        ax.barh([i + 0.2 for i in y], trozo["porcentaje_reportado"].fillna(0), height=0.4, color=GRIS, label=reportado)
        ax.barh([i - 0.2 for i in y], trozo["avance_calculado"], height=0.4, color=AZUL, label="Recalculado (este informe)")
        for i, (rep, cal) in enumerate(zip(trozo["porcentaje_reportado"], trozo["avance_calculado"])):
            if pd.notna(rep):
                ax.text(rep + 1, i + 0.2, porcentaje(rep, 0), va="center", fontsize=7)
            ax.text(cal + 1, i - 0.2, porcentaje(cal, 0), va="center", fontsize=7, color=AZUL)
        ax.set_yticks(list(y), etiquetas, fontsize=7)
        ax.set_xlim(0, 110)
        ax.set_xlabel("Avance (%)")
        ax.set_title(_titulo_panel("Avance por compromiso: reportado frente a recalculado", parte, len(trozos)))
        ax.legend(loc="lower right", fontsize=7, frameon=False)
        ax.grid(axis="x", alpha=0.3)
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        figuras.append(fig)
    return figuras


_COLUMNAS_ESTADO = ("hitos_completados", "hitos_en_progreso", "hitos_no_iniciados")


def estados_hitos(conteos, columna_grupo: str, titulo: str, maximo: int = 25):
    """Barras apiladas de hitos por estado para cada grupo (p. ej. institución).

    Con más de ``maximo`` grupos se muestran los ``maximo - 1`` con más hitos (a
    igualdad, en el orden de la tabla) y una fila «Otras (n)» con la suma del
    resto, de modo que el total de hitos del gráfico es siempre el de la tabla.
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    maximo = min(maximo, MAXIMO_FILAS)
    df = conteos[[columna_grupo, *_COLUMNAS_ESTADO]].reset_index(drop=True)
    if len(df) > maximo:
        total = df[list(_COLUMNAS_ESTADO)].sum(axis=1)
        orden = sorted(range(len(df)), key=lambda i: (-int(total.iloc[i]), i))
        mayores, resto = sorted(orden[: maximo - 1]), orden[maximo - 1 :]
        otras = {columna_grupo: f"Otras ({len(resto)})", **{c: int(df[c].iloc[resto].sum()) for c in _COLUMNAS_ESTADO}}
        df = pd.concat([df.iloc[mayores], pd.DataFrame([otras])], ignore_index=True)
        titulo = f"{titulo}: las {maximo - 1} con más hitos"
    df = df.iloc[::-1]
    etiquetas = [partir_etiqueta(str(v), 40, 2) for v in df[columna_grupo]]
    fig, ax = plt.subplots(figsize=(ANCHO_PAGINA_PULGADAS, max(2.5, 0.45 * len(df) + 1.4)))
    izquierda = pd.Series(0, index=df.index, dtype="float64")
    # Tramas de líneas, no de puntos: cada punto es un círculo de curvas en el SVG,
    # y WeasyPrint redibuja la trama en cada barra (la de puntos «..» costaba
    # ~1.5 s por gráfico al escribir el PDF; una cuadrícula «xx», 0.1 s).
    for columna, color, nombre, trama in (
        ("hitos_completados", VERDE, "Completados", ""),
        ("hitos_en_progreso", NARANJA, "En progreso", "//"),
        ("hitos_no_iniciados", GRIS, "No iniciados", "xx"),
    ):
        ax.barh(etiquetas, df[columna], left=izquierda, color=color, hatch=trama, edgecolor="white", label=nombre)
        izquierda = izquierda + df[columna]
    ax.set_xlabel("Número de hitos")
    ax.set_title(titulo)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def _paneles_cronograma(h) -> list[list[int]]:
    """Renglones de hitos por panel: compromisos enteros juntos hasta :data:`MAXIMO_FILAS`.

    Un compromiso con más hitos que eso se parte en paneles parejos.
    """
    paneles: list[list[int]] = []
    actual: list[int] = []
    for _, grupo in h.groupby("compromiso", sort=False):
        filas = list(grupo.index)
        if len(filas) > MAXIMO_FILAS:
            if actual:
                paneles.append(actual)
                actual = []
            paneles.extend([filas[t.start : t.stop] for t in _trozos(len(filas), MAXIMO_FILAS)])
            continue
        if len(actual) + len(filas) > MAXIMO_FILAS:
            paneles.append(actual)
            actual = []
        actual.extend(filas)
    if actual or not paneles:
        paneles.append(actual)
    return paneles


def cronograma(hitos, avances, corte, estados=None, vencidos=()) -> list:
    """Diagrama de Gantt: un renglón por hito con su plazo, sus avances (|) y la fecha de corte.

    Un panel por grupo de compromisos (hasta :data:`MAXIMO_FILAS` renglones),
    todos con la misma escala de fechas para que se puedan comparar. Los hitos
    sin fechas se listan sin barra (con la marca «sin fechas»), para que su
    ausencia se vea en lugar de desaparecer del gráfico. Los hitos de
    ``vencidos`` llevan la barra con borde rojo y «vencido» en su rótulo: el
    texto no basta, también en escala de grises se debe ver cuáles son.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.patches import Patch

    h = hitos.sort_values(["compromiso", "numero"]).reset_index(drop=True)
    fechas = pd.concat([h["fecha_inicio"], h["fecha_fin"], avances["fecha_registro"]]).dropna()
    minimo = (fechas.min() if not fechas.empty else pd.Timestamp(corte)) - pd.Timedelta(days=30)
    maximo = max(fechas.max() if not fechas.empty else pd.Timestamp(corte), pd.Timestamp(corte)) + pd.Timedelta(days=30)
    registros = {k: mdates.date2num(g) for k, g in avances.groupby("hito_id", sort=False)["fecha_registro"]}
    x_corte = mdates.date2num(pd.Timestamp(corte))
    paneles = _paneles_cronograma(h)
    vencidos = {str(x) for x in vencidos}
    figuras = []
    for parte, filas in enumerate(paneles, start=1):
        panel = h.loc[filas].iloc[::-1].reset_index(drop=True)
        fig, ax = plt.subplots(figsize=(ANCHO_PAGINA_PULGADAS, max(3.0, 0.26 * len(panel) + 1.4)))
        for i, fila in panel.iterrows():
            estado = estados.get(fila["hito_id"], "") if estados is not None else ""
            color = {"completado": VERDE, "en progreso": NARANJA}.get(estado, GRIS)
            if pd.notna(fila["fecha_inicio"]) and pd.notna(fila["fecha_fin"]):
                inicio, fin = mdates.date2num(fila["fecha_inicio"]), mdates.date2num(fila["fecha_fin"])
                borde = {"edgecolor": ROJO, "linewidth": 1.5} if fila["hito_id"] in vencidos else {}
                ax.barh(i, fin - inicio, left=inicio, height=0.55, color=color, alpha=0.85, **borde)
            else:
                # En coordenadas del eje (x entre 0 y 1): el rótulo queda dentro del
                # gráfico sea cual sea el intervalo de fechas.
                ax.text(0.005, i, "sin fechas", va="center", fontsize=7, color=ROJO, transform=ax.get_yaxis_transform())
            propios = registros.get(fila["hito_id"], [])
            ax.plot(propios, [i] * len(propios), "k|", markersize=7, markeredgewidth=1)
        ax.set_xlim(mdates.date2num(minimo), mdates.date2num(maximo))
        ax.axvline(x_corte, color=ROJO, linestyle="--", linewidth=1)
        ax.text(x_corte, len(panel) - 0.3, " corte", color=ROJO, fontsize=7, va="bottom")
        rotulos = [f"Hito {x} · vencido" if x in vencidos else f"Hito {x}" for x in panel["hito_id"]]
        ax.set_yticks(range(len(panel)), rotulos, fontsize=7)
        for rotulo, hito in zip(ax.get_yticklabels(), panel["hito_id"]):
            if hito in vencidos:
                rotulo.set_color(ROJO)
        ax.set_ylim(-0.8, len(panel) + 0.4)
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
        ax.tick_params(axis="x", labelsize=7, rotation=45)
        ax.set_title(
            _titulo_panel("Cronograma de hitos: plazo, avances registrados (|) y fecha de corte", parte, len(paneles))
        )
        leyenda = [
            Patch(color=VERDE, label="Completado"),
            Patch(color=NARANJA, label="En progreso"),
            Patch(color=GRIS, label="No iniciado"),
        ]
        if vencidos:
            leyenda.append(Patch(facecolor="white", edgecolor=ROJO, linewidth=1.5, label="Vencido al corte"))
        ax.legend(handles=leyenda, loc="upper left", fontsize=7, frameon=False, ncols=len(leyenda), bbox_to_anchor=(0, -0.12))
        ax.grid(axis="x", alpha=0.3)
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
        figuras.append(fig)
    return figuras


def _recorte(orden, maximo: int, eje: str):
    """Las barras que se muestran de ``orden`` (de mayor a menor) y cómo decirlo en el título.

    Un empate no se parte: si el corte cae en medio de un valor repetido,
    entran todas las que lo tienen (hasta :data:`MAXIMO_FILAS`) o ninguna, y
    el título dice el umbral («15 de 37 (compromisos ≥ 2)»); solo si
    todas valen lo mismo se muestran las primeras, en el orden de la serie.
    """
    umbral = orden.iloc[maximo - 1]
    unidad = eje.lower()
    if orden.iloc[maximo] < umbral or len(orden[orden >= umbral]) <= MAXIMO_FILAS:
        s = orden[orden >= umbral]
        return s, f"{len(s)} de {len(orden)} ({unidad} ≥ {umbral:g})"
    if (orden > umbral).any():
        s = orden[orden > umbral]
        return s, f"{len(s)} de {len(orden)} ({unidad} > {umbral:g})"
    return orden.head(maximo), f"{maximo} de {len(orden)}, en el orden de la tabla (todas con {unidad} = {umbral:g})"


def barras_simples(serie, titulo: str, eje: str, color: str = AZUL, maximo: int = 20):
    """Barras horizontales de una serie (p. ej. organizaciones por compromiso), las de mayor valor.

    A igual valor, en el orden de la serie. Si se dejan fuera valores, el título
    dice cuántas se muestran y desde qué valor (ver :func:`_recorte`).
    """
    import matplotlib.pyplot as plt

    maximo = min(maximo, MAXIMO_FILAS)
    s = serie.sort_values(ascending=False, kind="mergesort")
    if len(serie) > maximo:
        s, cuantas = _recorte(s, maximo, eje)
        titulo = f"{titulo}: {cuantas}"
    s = s.iloc[::-1]
    fig, ax = plt.subplots(figsize=(ANCHO_PAGINA_PULGADAS, max(2.2, 0.3 * len(s) + 1.2)))
    ax.barh([partir_etiqueta(str(i), 45, 1) for i in s.index], s.values, color=color)
    for i, v in enumerate(s.values):
        ax.text(v, i, f" {v:g}", va="center", fontsize=7)
    ax.set_xlabel(eje)
    ax.set_title(titulo)
    ax.tick_params(axis="y", labelsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig
