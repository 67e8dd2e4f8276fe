"""Gráficos deterministas y legibles en papel para los cuadernos del informe.

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
* **Tamaños para A4.** Figuras de 16 cm de ancho (cabe en los 17,4 cm útiles
  de la página sin reducirse) y texto de 8-10 pt: impreso, el texto del
  gráfico tiene el mismo tamaño que el de las tablas y el cuerpo.
* **Tablas completas.** pandas recorta por defecto los textos a 50 caracteres
  («…») y oculta columnas en tablas anchas; en un informe se pierde
  información, así que se quitan ambos límites (``display.max_colwidth`` y
  ``display.max_columns``). El número de filas se deja como está.

Además ofrece ayudas pequeñas que los cuadernos necesitan a menudo:
:func:`formato_porcentaje`, :func:`partir_etiqueta` (nombres largos en un eje),
:func:`guardar_figura` (archivo reproducible) y :func:`fecha_reproducible`.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import textwrap
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib

from .texto import neutralizar_bidi

#: Metadatos que se quitan de cada SVG/PDF: la fecha cambia en cada ejecución y
#: la versión de matplotlib ensucia los diffs al actualizar el entorno.
METADATOS_FIJOS: dict[str, None] = {"Date": None, "Creator": None}

#: Ancho de las figuras (16 cm): cabe en el ancho útil de la página A4.
ANCHO_PAGINA_PULGADAS = 16 / 2.54

#: Paleta sobria que se distingue también impresa en escala de grises.
PALETA = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#a5a5a5")

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
}


#: Fecha fija (1 ene 2000) para lo que no admite quitar la fecha.
EPOCA_REPRODUCIBLE = "946684800"

# os.environ es global al proceso: dos hilos no deben pisarse al poner y quitar
# SOURCE_DATE_EPOCH.
_CANDADO_FECHA = threading.Lock()


@contextmanager
def fecha_reproducible():
    """Fija ``SOURCE_DATE_EPOCH`` mientras dura el bloque (si el entorno no la fija ya).

    Al incrustar fuentes recortadas (PDF de matplotlib con ``pdf.fonttype`` 42,
    PDF de WeasyPrint), fontTools graba la hora actual en la tabla ``head`` de
    cada fuente, y el archivo cambia de un segundo a otro. fontTools y
    matplotlib respetan esta variable, la convención de *reproducible builds*.
    """
    with _CANDADO_FECHA:
        definida = "SOURCE_DATE_EPOCH" in os.environ
        if not definida:
            os.environ["SOURCE_DATE_EPOCH"] = EPOCA_REPRODUCIBLE
        try:
            yield
        finally:
            if not definida:
                os.environ.pop("SOURCE_DATE_EPOCH", None)


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
    importlib.import_module("matplotlib.pyplot")
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


def formato_porcentaje(valor: float | None, decimales: int = 1, *, fraccion: bool = False) -> str:
    """Porcentaje para mostrar en tablas y etiquetas: ``50.0 %``.

    ``valor`` está en puntos porcentuales (``50`` → ``50.0 %``), como en el
    tablero; con ``fraccion=True`` se interpreta como proporción (``0.5`` →
    ``50.0 %``). Se usa punto decimal porque es la convención de Guatemala y del
    propio tablero, y un espacio de no separación antes de «%» (norma de la RAE)
    para que el signo no quede solo al partir la línea. Un valor ausente (None o
    NaN) se muestra como «—».
    """
    if valor is None:
        return "—"
    numero = float(valor)
    if math.isnan(numero):
        return "—"
    if fraccion:
        numero *= 100
    return f"{numero:.{decimales}f}\u00a0%"


def partir_etiqueta(texto: str, ancho: int = 28, max_lineas: int = 3) -> str:
    """Parte un texto largo (p. ej. el nombre de un compromiso) en líneas para un eje.

    Corta en espacios, nunca a mitad de palabra, y si no cabe en ``max_lineas``
    termina la última con «…», para que los nombres largos no invadan el
    área del gráfico.
    """
    lineas = textwrap.wrap(" ".join(neutralizar_bidi(str(texto)).split()), width=ancho, break_long_words=False)
    if len(lineas) > max_lineas:
        ultima = lineas[max_lineas - 1]
        lineas = lineas[: max_lineas - 1] + [ultima[: max(ancho - 1, 1)].rstrip() + "…"]
    return "\n".join(lineas)
