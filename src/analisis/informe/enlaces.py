"""Resumen de la comprobación de los enlaces de evidencia al corte, para la sección de calidad de los datos.

Las cifras salen de la tabla ``enlaces_evidencia`` de las métricas (la última
comprobación de cada enlace hasta el corte, ver
:mod:`analisis.evaluacion.enlaces`) y de la tabla ``enlaces`` del paquete
(todas las comprobaciones copiadas por ``analisis parse``). No haber
comprobado nunca los enlaces es un caso normal: la frase lo dice tal cual.
"""

from __future__ import annotations

import pandas as pd

from ..evaluacion.enlaces import ESTADOS_AL_CORTE, SIN_COMPROBAR, cuentas_por_estado
from ..evaluacion.periodos import limite_corte
from ..lectura.glosario import etiquetas
from .contexto import Contexto


def _n(cantidad: int, singular: str, plural: str) -> str:
    return f"{cantidad} {singular if cantidad == 1 else plural}"


def _dia(valor) -> str:
    return pd.Timestamp(valor).strftime("%Y-%m-%d")


def tabla_comprobaciones(ctx: Contexto) -> pd.DataFrame:
    """Enlaces de evidencia al corte: cuántos hay, cuántos se comprobaron y con qué resultado.

    Vacía si ninguno se comprobó hasta el corte: una tabla de ceros no diría
    más que :func:`frase_comprobaciones`, que lo explica.
    """
    tabla = ctx.metricas["enlaces_evidencia"]
    cuentas = cuentas_por_estado(tabla)
    if cuentas[SIN_COMPROBAR] == len(tabla):
        return pd.DataFrame({"indicador": pd.Series(dtype="str"), "enlaces": pd.Series(dtype="int64")})
    nombres = etiquetas("enlace")
    filas = [
        ("Enlaces de evidencia de los avances registrados hasta el corte", len(tabla)),
        ("Comprobados hasta el corte", len(tabla) - cuentas[SIN_COMPROBAR]),
        *((nombres.get(estado, estado), cuentas[estado]) for estado in ESTADOS_AL_CORTE),
    ]
    return pd.DataFrame(filas, columns=["indicador", "enlaces"]).astype({"indicador": "str", "enlaces": "int64"})


def frase_comprobaciones(ctx: Contexto) -> str:
    """Qué se sabe de los enlaces al corte, en una frase; dice claramente si nunca se comprobaron."""
    tabla = ctx.metricas["enlaces_evidencia"]
    observaciones = ctx.tablas.enlaces
    total = len(tabla)
    if total == 0:
        return "Ningún avance registrado hasta el corte cita un enlace: no hay evidencia en línea que comprobar."
    enlaces_total = _n(total, "enlace de evidencia", "enlaces de evidencia")
    if observaciones.empty:
        return (
            f"Los {enlaces_total} de los avances registrados hasta el corte no se han comprobado nunca: el paquete de datos "
            "no trae ninguna comprobación de enlaces, así que este informe no dice si funcionan."
            if total > 1 else
            "El enlace de evidencia de los avances registrados hasta el corte no se ha comprobado nunca: el paquete de datos "
            "no trae ninguna comprobación de enlaces, así que este informe no dice si funciona."
        )
    hasta_corte = observaciones[observaciones["fecha_consulta"] < limite_corte(ctx.corte)]
    if hasta_corte.empty:
        return (
            f"Todas las comprobaciones de enlaces del paquete son posteriores al corte (la primera, del "
            f"{_dia(observaciones['fecha_consulta'].min())}): "
            + (f"ninguno de los {enlaces_total} se había comprobado al corte." if total > 1
               else "el enlace de evidencia no se había comprobado al corte.")
        )
    cuentas = cuentas_por_estado(tabla)
    comprobados = total - cuentas[SIN_COMPROBAR]
    fechas = tabla["fecha_consulta"].dropna()
    if comprobados == 0:
        return (
            "Hasta el corte se comprobaron enlaces, pero ninguno de los que citan los avances registrados hasta "
            "el corte: todos quedan sin comprobar al corte."
        )
    desde, hasta = _dia(fechas.min()), _dia(fechas.max())
    cuando = f"el {desde}" if desde == hasta else f"entre el {desde} y el {hasta}"
    partes = [
        _n(cuentas["ok"], "responde", "responden"),
        _n(cuentas["redirigido"], "lleva a otra dirección", "llevan a otra dirección"),
        _n(cuentas["roto"], "está roto", "están rotos"),
        _n(cuentas["sin_respuesta"], "no respondió", "no respondieron"),
    ]
    frase = (
        ("Del único enlace de evidencia, " if total == 1 else f"De los {enlaces_total}, ")
        + f"{comprobados} se comprobaron hasta el corte ({cuando}; vale la comprobación más "
        f"reciente de cada enlace): {', '.join(partes[:-1])} y {partes[-1]}."
    )
    if cuentas[SIN_COMPROBAR]:
        frase += f" {_n(cuentas[SIN_COMPROBAR], 'queda', 'quedan')} sin comprobar al corte."
    if cuentas["sin_respuesta"]:
        frase += " Sin respuesta no quiere decir roto: puede que faltara la conexión."
    if cuentas["roto"]:
        frase += " Cada enlace roto figura entre las alertas."
    return frase
