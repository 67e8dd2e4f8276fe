"""Sección «Cambios en el tablero»: qué cambió entre capturas, para verlo de un vistazo.

Funciones puras sobre un :class:`analisis.informe.contexto.Contexto`; el
cuaderno ``07_cambios_tablero.ipynb`` solo las llama y muestra lo que devuelven.
Cada cambio lleva las dos capturas entre las que se vio, con su fecha.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from ..evaluacion.reportado import fecha_de_captura
from ..lectura.historial import TIPOS_CAMBIO
from . import presentacion as p
from .contexto import Contexto

# Tipo de cambio -> cómo se lee en el informe. Mapeo como datos.
NOMBRES_TIPOS = {
    "avance_agregado": "Avance agregado",
    "avance_retrofechado": "Avance agregado con fecha atrasada",
    "avance_editado": "Avance editado",
    "avance_eliminado": "Avance eliminado",
    "porcentaje_reportado_cambiado": "Porcentaje reportado cambiado",
    "plazo_modificado": "Plazo de hito modificado",
    "hito_agregado": "Hito agregado",
    "hito_eliminado": "Hito eliminado",
    "texto_modificado": "Texto modificado",
    "responsable_cambiado": "Responsable cambiado",
}
COLUMNAS_DETALLE = [
    "compromiso", "hito_id", "campo", "valor_anterior", "valor_posterior",
    "captura_anterior", "captura_posterior", "linea_anterior", "linea_posterior",
]


def capturas_usadas(ctx: Contexto) -> pd.DataFrame:
    """Cada captura del paquete: número, fecha (o lo que se sabe de ella), fuente, archivo y SHA-256."""
    filas = []
    for f in ctx.tablas.capturas.to_dict("records"):
        filas.append(
            {
                "captura": int(f["captura"]),
                "fecha": fecha_de_captura(f),
                "fuente": f["fuente"] or "desconocida",
                "archivo": f["archivo"],
                "sha256": f["sha256"],
            }
        )
    return pd.DataFrame(filas, columns=["captura", "fecha", "fuente", "archivo", "sha256"])


def observacion(ctx: Contexto) -> str:
    """De qué captura sale lo reportado al corte del informe, en una frase."""
    return ctx.lo_reportado


def resumen_capturas(ctx: Contexto) -> str:
    n = len(ctx.tablas.capturas)
    if n < 2:
        return (
            "El paquete tiene una sola captura del tablero: no hay con qué compararla, así que no se puede "
            "saber qué se agregó, editó, borró o reprogramó después, ni si cambió el porcentaje que reporta "
            "cada compromiso. Este informe no afirma que no hubo cambios: con dos o más capturas fechadas "
            "del tablero, esta sección los muestra."
        )
    return f"Se comparan {n} capturas del tablero, cada una con la siguiente; {len(ctx.tablas.cambios)} cambios en total."


def conteo_por_tipo(ctx: Contexto) -> pd.DataFrame:
    """Cuántos cambios hay de cada tipo, en el orden de la metodología (también los que no ocurrieron)."""
    cuenta = ctx.tablas.cambios["tipo"].value_counts()
    return pd.DataFrame(
        [{"tipo": NOMBRES_TIPOS[t], "cambios": int(cuenta.get(t, 0))} for t in TIPOS_CAMBIO],
        columns=["tipo", "cambios"],
    )


def cambios_de(ctx: Contexto, *tipos: str) -> pd.DataFrame:
    """Los cambios de esos tipos, con la fecha de cada captura junto a su número."""
    c = ctx.tablas.cambios
    sel = c[c["tipo"].isin(tipos)].copy()
    fechas = {int(f["captura"]): fecha_de_captura(f) for f in ctx.tablas.capturas.to_dict("records")}
    for columna in ("captura_anterior", "captura_posterior"):
        sel[columna] = [f"{int(n)} ({fechas[int(n)]})" for n in sel[columna]]
    return sel[COLUMNAS_DETALLE].reset_index(drop=True)


# Columnas de las tablas de detalle -> encabezado en el informe.
COLUMNAS = {
    "hito_id": "Hito",
    "campo": "Campo",
    "valor_anterior": "Antes",
    "valor_posterior": "Después",
    "captura_anterior": "Captura anterior",
    "captura_posterior": "Captura posterior",
    "linea_anterior": "Línea antes",
    "linea_posterior": "Línea después",
}
# Apartados de detalle: título, explicación, tipos de cambio, si lleva el compromiso, y qué decir sin filas.
APARTADOS = [
    (
        "Avances agregados con fecha atrasada",
        "Avances que no estaban en una captura aunque su fecha de registro es anterior a ella: "
        "se cargaron después, con una fecha pasada.",
        ("avance_retrofechado",), False, "Ningún avance se agregó con fecha atrasada.",
    ),
    ("Avances eliminados", "", ("avance_eliminado",), False, "No se eliminó ningún avance."),
    ("Plazos de hitos modificados", "", ("plazo_modificado",), False, "No se modificó ningún plazo."),
    (
        "Porcentajes reportados cambiados", "", ("porcentaje_reportado_cambiado",), True,
        "Ningún porcentaje reportado cambió entre capturas.",
    ),
]


def apartados(ctx: Contexto) -> HTML:
    """El conteo por tipo y los apartados de detalle; nada con una sola captura.

    Con una captura no hay cambios que contar, y una tabla de ceros o «no se
    eliminó ningún avance» afirmarían lo que no se sabe (:func:`resumen_capturas`
    lo explica).
    """
    if len(ctx.tablas.capturas) < 2:
        return HTML("")
    piezas = [p.apartado("Cambios por tipo", p.tabla(conteo_por_tipo(ctx), {"tipo": "Tipo de cambio", "cambios": "Cambios"}))]
    for titulo, texto, tipos, con_compromiso, vacio in APARTADOS:
        columnas = {"compromiso": "Compromiso", **COLUMNAS} if con_compromiso else COLUMNAS
        piezas.append(p.apartado(titulo, p.tabla(cambios_de(ctx, *tipos), columnas, vacio=vacio), texto=texto))
    return HTML("".join(pieza.data for pieza in piezas))
