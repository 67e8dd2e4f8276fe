"""Valoraciones del evaluador junto a lo reportado y lo recalculado.

Tres cosas, todas sobre tablas ya leídas (la lectura y validación del archivo
están en :mod:`analisis.lectura.valoraciones`):

* :func:`plantilla`: una fila por compromiso y por hito, con el nivel de
  cumplimiento que dan los datos como sugerencia (``completitud_sugerida``) y
  las columnas del evaluador vacías;
* :func:`agregar_valoraciones`: columnas de lo valorado en las métricas de
  hitos y de compromisos, al lado de lo reportado y lo recalculado;
* :func:`alertas_valoraciones`: la alerta ``valoracion_sin_respaldo`` cuando
  los datos del tablero al corte no pueden sostener lo valorado.

Reglas de ``valoracion_sin_respaldo`` (también en docs/metodologia.md)
=====================================================================

Los niveles de completitud se ordenan ``sin_evidencia < no_iniciado <
limitado < sustancial < completo``. El «nivel de los datos» es el
``nivel_irm`` recalculado al corte con el criterio elegido.

1. **Completitud por encima de los datos** (hito o compromiso): la
   completitud valorada es mayor que el nivel de los datos; por ejemplo
   «completo» para un hito sin ningún avance registrado hasta el corte, o
   «sustancial» para uno cuyo avance recalculado es 30 %.
2. **Resultados sin implementación** (compromiso): ``resultados`` es
   moderados, significativos o sobresalientes y el nivel de los datos del
   compromiso es «sin evidencia» o «no iniciado»: no hay implementación
   registrada de la que puedan salir resultados.
3. **Evidencia verificada sin evidencia registrada** (hito o compromiso):
   ``evidencia_verificada`` es «si» o «parcial» y ningún avance registrado
   hasta el corte (del hito, o de los hitos del compromiso) trae medios de
   verificación ni enlaces.

Valorar *por debajo* de los datos no genera alerta: es justamente el juicio
que el evaluador aporta (p. ej. no dar por completo lo que la institución
declara al 100 % sin pruebas). La alerta no invalida la valoración: pide
revisarla o explicarla en la nota, porque el evaluador puede tener fuentes
fuera del tablero.
"""

from __future__ import annotations

import pandas as pd

from ..lectura.paquete import Tablas
from ..lectura.valoraciones import (
    NIVEL_COMPROMISO,
    NIVEL_HITO,
    Valoraciones,
    columnas,
    etiqueta,
    valores_admitidos,
)

TIPO_ALERTA = "valoracion_sin_respaldo"

# Columnas que se agregan a las métricas: (columna del archivo, columna en la tabla de métricas).
COLUMNAS_HITOS = (("completitud", "completitud_valorada"), ("evidencia_verificada", "evidencia_verificada"))
COLUMNAS_COMPROMISOS = (
    ("completitud", "completitud_valorada"),
    ("potencial", "potencial_valorado"),
    ("resultados", "resultados_valorados"),
    ("evidencia_verificada", "evidencia_verificada"),
)

_SIN_IMPLEMENTACION = {"sin_evidencia", "no_iniciado"}
_RESULTADOS_SIN_RESPALDO = {"moderados", "significativos", "sobresalientes"}
_EVIDENCIA_AFIRMADA = {"si", "parcial"}


def codigo_completitud(nivel: str) -> str:
    """Código de completitud del archivo para un ``nivel_irm`` de las métricas («sin evidencia» → «sin_evidencia»)."""
    por_etiqueta = {etiqueta("completitud", v): v for v in valores_admitidos("completitud")}
    return por_etiqueta[nivel]


def _rango(codigo: str) -> int:
    return valores_admitidos("completitud").index(codigo)


def _una_linea(texto: object) -> str:
    return " ".join(str(texto or "").split())


def plantilla(tablas: Tablas, metricas: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Plantilla vacía: cada compromiso seguido de sus hitos, con la completitud que sugieren los datos.

    ``metricas`` es el resultado de :func:`analisis.evaluacion.calculo.calcular`
    al corte con que se quiere sugerir.
    """
    mh = metricas["metricas_hitos"]
    mc = metricas["metricas_compromisos"].set_index("compromiso")
    titulos = dict(zip(tablas.compromisos["compromiso"], tablas.compromisos["titulo"]))
    descripciones = dict(zip(tablas.hitos["hito_id"], tablas.hitos["descripcion"]))
    filas = []
    for c in mc.index:
        filas.append(
            {
                "nivel": NIVEL_COMPROMISO,
                "id": str(c),
                "titulo": _una_linea(titulos.get(c, "")),
                "completitud_sugerida": codigo_completitud(mc.at[c, "nivel_irm"]),
            }
        )
        for h in mh[mh["compromiso"] == c].itertuples(index=False):
            filas.append(
                {
                    "nivel": NIVEL_HITO,
                    "id": h.hito_id,
                    "titulo": _una_linea(descripciones.get(h.hito_id, "")),
                    "completitud_sugerida": codigo_completitud(h.nivel_irm),
                }
            )
    vacias = dict.fromkeys(columnas(), "")
    return pd.DataFrame([{**vacias, **f} for f in filas], columns=columnas()).astype("str")


def agregar_valoraciones(metricas: dict[str, pd.DataFrame], valoraciones: Valoraciones) -> dict[str, pd.DataFrame]:
    """Copia de ``metricas`` con las columnas valoradas en hitos y compromisos (vacías si no se valoró).

    Los valores van en su forma legible («sin evidencia», «sí»), la misma que
    ``nivel_irm``, para leer lo recalculado y lo valorado lado a lado.
    """
    v = valoraciones.tabla
    resultado = dict(metricas)
    for tabla, nivel, clave, columnas_ in (
        ("metricas_hitos", NIVEL_HITO, "hito_id", COLUMNAS_HITOS),
        ("metricas_compromisos", NIVEL_COMPROMISO, "compromiso", COLUMNAS_COMPROMISOS),
    ):
        filas = v[v["nivel"] == nivel]
        claves = filas["hito_id"] if nivel == NIVEL_HITO else filas["compromiso"]
        destino = metricas[tabla].copy()
        for origen, nombre in columnas_:
            valores = dict(zip(claves, filas[origen]))
            destino[nombre] = destino[clave].map(lambda k: etiqueta(origen, valores.get(k, ""))).astype("str")
        resultado[tabla] = destino
    return resultado


def _alerta(detalle: str, linea, compromiso, hito_id: str = "") -> dict:
    return {"tipo": TIPO_ALERTA, "compromiso": compromiso, "hito_id": hito_id, "avance_id": "", "linea": linea, "detalle": detalle}


def alertas_valoraciones(
    tablas: Tablas, metricas: dict[str, pd.DataFrame], valoraciones: Valoraciones
) -> list[dict]:
    """Filas de ``valoracion_sin_respaldo`` según las reglas de la documentación del módulo.

    ``linea`` es la del archivo crudo del tablero (como en toda alerta); el
    detalle nombra el archivo y la línea de la valoración.
    """
    mh = metricas["metricas_hitos"].set_index("hito_id")
    mc = metricas["metricas_compromisos"].set_index("compromiso")
    lineas_compromiso = dict(zip(tablas.compromisos["compromiso"], tablas.compromisos["linea"]))
    alertas = []
    for v in valoraciones.tabla.itertuples(index=False):
        origen = f"valoración en {valoraciones.archivo}:{v.linea}"
        if v.nivel == NIVEL_HITO:
            datos = mh.loc[v.hito_id]
            linea, hito_id = datos["linea"], v.hito_id
            avances, con_evidencia = int(datos["avances"]), int(datos["avances_con_evidencia"])
            nivel_datos = codigo_completitud(datos["nivel_irm"])
            lugar, del_lugar = f"el hito {hito_id}", f"del hito {hito_id}"
            avance_datos = datos["avance"]
        else:
            datos = mc.loc[v.compromiso]
            linea, hito_id = lineas_compromiso.get(v.compromiso), ""
            avances, con_evidencia = int(datos["avances"]), int(datos["avances_con_evidencia"])
            nivel_datos = codigo_completitud(datos["nivel_irm"])
            lugar, del_lugar = f"el compromiso {v.compromiso}", f"del compromiso {v.compromiso}"
            avance_datos = datos["avance_calculado"]

        if v.completitud and _rango(v.completitud) > _rango(nivel_datos):
            if avances == 0:
                motivo = "no tiene ningún avance registrado hasta el corte"
            else:
                motivo = (
                    f"tiene {float(avance_datos):.10g} % recalculado "
                    f"(nivel «{etiqueta('completitud', nivel_datos)}»)"
                )
            alertas.append(
                _alerta(
                    f"completitud valorada «{etiqueta('completitud', v.completitud)}» ({origen}) por encima "
                    f"de los datos: {lugar} {motivo}",
                    linea, v.compromiso, hito_id,
                )
            )
        if v.nivel == NIVEL_COMPROMISO and v.resultados in _RESULTADOS_SIN_RESPALDO and nivel_datos in _SIN_IMPLEMENTACION:
            alertas.append(
                _alerta(
                    f"resultados valorados «{etiqueta('resultados', v.resultados)}» ({origen}) sin implementación "
                    f"registrada: {lugar} está «{etiqueta('completitud', nivel_datos)}» en los datos",
                    linea, v.compromiso,
                )
            )
        if v.evidencia_verificada in _EVIDENCIA_AFIRMADA and con_evidencia == 0:
            alertas.append(
                _alerta(
                    f"evidencia verificada «{etiqueta('evidencia_verificada', v.evidencia_verificada)}» ({origen}) "
                    f"pero ningún avance registrado hasta el corte {del_lugar} trae medios de verificación ni enlaces",
                    linea, v.compromiso, hito_id,
                )
            )
    return alertas
