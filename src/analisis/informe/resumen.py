"""Síntesis para los cuadernos: cifras clave, conciliación con el tablero y cambios entre periodos.

Funciones puras sobre un :class:`analisis.contexto.Contexto`; los cuadernos
solo las llaman y muestran lo que devuelven.
"""

from __future__ import annotations

import pandas as pd

from .contexto import Contexto
from ..evaluacion.alertas import comparar_contadores
from ..evaluacion.periodos import mascara_en_periodo

COLUMNAS_CAMBIOS = ["hito_id", "compromiso", "institucion", "cambio", "antes", "ahora"]


def _pct(valor: float) -> str:
    return "—" if pd.isna(valor) else f"{valor:.1f} %"


def cifras_clave(ctx: Contexto) -> dict[str, str]:
    """Las cifras de la portada del resumen: tamaño del plan y situación al corte."""
    mh = ctx.metricas["metricas_hitos"]
    mc = ctx.metricas["metricas_compromisos"]
    return {
        "Compromisos": str(len(mc)),
        "Hitos": str(len(mh)),
        "Avances registrados al corte": str(int(mh["avances"].sum())),
        "Avances registrados en el periodo": str(int(mh["avances_periodo"].sum())),
        "Hitos completados": str(int((mh["estado"] == "completado").sum())),
        "Hitos vencidos": str(int(mh["vencido"].sum())),
        "Avance recalculado (media de compromisos)": _pct(mc["avance_calculado"].mean()),
        "Avance reportado (media de compromisos)": _pct(mc["porcentaje_reportado"].mean()),
    }


def conciliacion_contadores(ctx: Contexto) -> pd.DataFrame:
    """Cada contador de la cabecera del tablero frente a su equivalente en los datos.

    Los contadores se anidan (no iniciados + iniciados = hitos; los completados
    son parte de los iniciados) y describen la captura entera, así que se
    comparan con todos los avances capturados y no con el corte del informe
    (ver :func:`analisis.evaluacion.alertas.comparar_contadores`).
    """
    filas = [
        {"indicador": c.indicador, "tablero": c.tablero, "equivalente": c.equivalente, "datos": c.datos}
        for c in comparar_contadores(ctx.tablas.tablero, ctx.tablas.hitos, ctx.tablas.avances, ctx.criterio)
    ]
    df = pd.DataFrame(filas, columns=["indicador", "tablero", "equivalente", "datos"])
    df["tablero"] = df["tablero"].astype("Int64")
    df["datos"] = df["datos"].astype("int64")
    df["diferencia"] = df["tablero"] - df["datos"]
    return df


def avances_del_periodo(ctx: Contexto) -> pd.DataFrame:
    """Los avances registrados dentro del periodo (hasta el corte), en orden de registro."""
    a = ctx.tablas.avances
    dentro = a[mascara_en_periodo(a["fecha_registro"], ctx.periodo.inicio, ctx.corte)]
    return dentro.sort_values(["fecha_registro", "avance_id"], kind="mergesort")[
        ["avance_id", "hito_id", "fecha_registro", "porcentaje", "descripcion"]
    ].reset_index(drop=True)


def cambios_desde_anterior(ctx: Contexto) -> pd.DataFrame:
    """Hitos cuyo estado, avance o vencimiento cambió desde el cierre del periodo anterior."""
    antes = ctx.metricas_anteriores["metricas_hitos"].set_index("hito_id")
    ahora = ctx.metricas["metricas_hitos"].set_index("hito_id")
    filas = []
    for hito_id, fila in ahora.iterrows():
        previa = antes.loc[hito_id]
        base = {"hito_id": hito_id, "compromiso": fila["compromiso"], "institucion": fila["institucion_normalizada"]}
        if previa["estado"] != fila["estado"]:
            filas.append({**base, "cambio": "cambió de estado", "antes": previa["estado"], "ahora": fila["estado"]})
        if abs(previa["avance"] - fila["avance"]) > 1e-9:
            filas.append({**base, "cambio": "cambió su avance", "antes": _pct(previa["avance"]), "ahora": _pct(fila["avance"])})
        if fila["vencido"] and not previa["vencido"]:
            fin = fila["fecha_fin"].date().isoformat()
            filas.append({**base, "cambio": "quedó vencido", "antes": "en plazo", "ahora": f"vencido (fin {fin})"})
    return pd.DataFrame(filas, columns=COLUMNAS_CAMBIOS)


def alertas_por_tipo(ctx: Contexto) -> pd.DataFrame:
    """Número de alertas de cada tipo, de la más a la menos frecuente."""
    al = ctx.metricas["alertas"]
    conteo = al.groupby("tipo").size().reset_index(name="alertas")
    return conteo.sort_values(["alertas", "tipo"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def avances_al_corte(ctx: Contexto) -> pd.DataFrame:
    """Los avances registrados hasta el final del día de corte."""
    from ..evaluacion.periodos import avances_al_corte as _al_corte

    return _al_corte(ctx.tablas.avances, ctx.corte)


def hitos_vencidos(ctx: Contexto) -> pd.DataFrame:
    """Hitos vencidos al corte, del que venció antes al que venció después."""
    mh = ctx.metricas["metricas_hitos"]
    return mh[mh["vencido"]].sort_values(["fecha_fin", "hito_id"], kind="mergesort").reset_index(drop=True)


def plazos(ctx: Contexto) -> pd.DataFrame:
    """Todos los hitos por fecha de fin (los que no tienen fecha, al final)."""
    mh = ctx.metricas["metricas_hitos"]
    return mh.sort_values(["fecha_fin", "compromiso", "numero"], kind="mergesort", na_position="last").reset_index(drop=True)
