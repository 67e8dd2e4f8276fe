"""Piezas de presentación para los cuadernos: encabezados, cifras clave y tablas.

El marcado está en la plantilla ``plantillas/presentacion.html.j2``, que escapa
todo el texto que viene de los datos (títulos de compromisos, descripciones,
nombres) antes de mostrarse: el tablero es una fuente externa y
un texto con ``<script>`` o ``[x](javascript:...)`` debe verse como texto, nunca
interpretarse. Por eso los cuadernos muestran texto con estas funciones y no
con ``Markdown(...)``.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from IPython.display import HTML

from ..evaluacion.criterios import nombre_criterio
from .contexto import Contexto
from .plantilla import macros
from .texto import porcentaje, publicado, redondeado


def _macros():
    return macros("presentacion.html.j2")


def _texto(valor: object) -> str:
    return "" if valor is None else str(valor)


def encabezado(ctx: Contexto) -> HTML:
    """Título de la sección con el periodo, el corte, la huella de la fuente y de qué captura sale lo reportado."""
    return HTML(
        _macros().encabezado(
            ctx.periodo.etiqueta,
            ctx.periodo.inicio.isoformat(),
            ctx.periodo.fin.isoformat(),
            ctx.corte.isoformat(),
            nombre_criterio(ctx.criterio),
            _texto(ctx.fuente),
            _texto(ctx.sha256)[:12],
            ctx.lo_reportado,
        )
    )


def cifras(valores: Mapping[str, object]) -> HTML:
    """Cifras clave como tabla de dos columnas (legible igual en pantalla, HTML y PDF)."""
    return HTML(_macros().cifras([(_texto(k), _texto(v)) for k, v in valores.items()]))


def parrafo(texto: str) -> HTML:
    return parrafos([texto])


def parrafos(textos: list[str]) -> HTML:
    """Varios párrafos de texto (escapados), p. ej. el resumen en prosa."""
    return HTML(_macros().parrafos([_texto(t) for t in textos]))


def apartado(titulo: str, *piezas: HTML, texto: str = "") -> HTML:
    """Título de apartado (``<h2>``), un párrafo opcional y las piezas que siguen, en una sola salida."""
    return HTML(_macros().apartado(titulo, texto) + "".join(pieza.data for pieza in piezas))


# Lo valorado por el evaluador, junto a lo reportado y lo recalculado (evaluacion/valoraciones.py).
COLUMNAS_VALORADAS = {
    "metricas_compromisos": {
        "completitud_valorada": "Completitud valorada",
        "potencial_valorado": "Potencial valorado",
        "resultados_valorados": "Resultados valorados",
        "evidencia_verificada": "Evidencia verificada",
    },
    "metricas_hitos": {
        "completitud_valorada": "Completitud valorada",
        "evidencia_verificada": "Evidencia verificada",
    },
}
_VALORADAS = {c for columnas in COLUMNAS_VALORADAS.values() for c in columnas}


def columnas_valoradas(ctx: Contexto, tabla: str) -> dict[str, str]:
    """Columnas valoradas de ``tabla`` con sus encabezados; ninguna si el informe no tiene valoraciones."""
    return dict(COLUMNAS_VALORADAS[tabla]) if ctx.valoraciones is not None else {}


def comparacion_compromisos(ctx: Contexto) -> HTML:
    """Por compromiso: reportado por el tablero, recalculado de los avances y valorado por el evaluador."""
    if ctx.valoraciones is None:
        # Texto fijo (nada viene de los datos); las órdenes en <code> para que «--» no se lea como raya.
        return HTML(_macros().sin_valoraciones())
    v = ctx.valoraciones
    origen = parrafo(f"Valoraciones: {v.archivo} (SHA-256 {v.sha256[:12]}…).")
    comparacion = tabla(
        ctx.metricas["metricas_compromisos"],
        {
            "compromiso": "Compromiso",
            "porcentaje_reportado": "Reportado (%)",
            "avance_calculado": "Recalculado (%)",
            "nivel_irm": "Nivel recalculado",
            **COLUMNAS_VALORADAS["metricas_compromisos"],
        },
    )
    return HTML(origen.data + comparacion.data)


def _formatear(valor: object, columna: str) -> str:
    if columna in _VALORADAS and valor == "":
        return "sin valorar"
    if valor is None or valor is pd.NA or valor is pd.NaT or (isinstance(valor, float) and pd.isna(valor)):
        return "—"
    if isinstance(valor, pd.Timestamp):
        return valor.strftime("%Y-%m-%d") if valor == valor.normalize() else valor.strftime("%Y-%m-%d %H:%M")
    if isinstance(valor, float):
        if columna.startswith("porcentaje"):
            return publicado(valor)
        if columna.startswith(("avance", "diferencia")) or columna.endswith("%"):
            return redondeado(valor, 1)
        if columna.startswith("cobertura"):
            return porcentaje(valor, 0, fraccion=True)
        return redondeado(valor, 2).rstrip("0").rstrip(".")
    return str(valor)


def tabla(df: pd.DataFrame, columnas: Mapping[str, str] | None = None, vacio: str = "Sin filas.") -> HTML:
    """Tabla HTML escapada, sin índice, con encabezados en español legibles.

    ``columnas`` elige y renombra columnas (``{"avance_calculado": "Avance calculado (%)"}``);
    los valores se formatean según el nombre de la columna original.
    """
    if columnas:
        df = df[list(columnas)]
    if df.empty:
        return HTML(_macros().vacio(vacio))
    encabezados = [columnas[c] if columnas else c for c in df.columns]
    filas = [[_formatear(v, c) for v, c in zip(registro, df.columns)] for registro in df.itertuples(index=False)]
    return HTML(_macros().tabla(encabezados, filas))
