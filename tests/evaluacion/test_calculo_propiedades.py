"""Propiedades (hypothesis) de porcentajes y métricas: el único fallo admitido es AnalisisError.

Los tableros se generan con valores en los bordes (0 %, 100 %, porcentajes
recortados, fechas en los extremos del rango, hitos sin fechas ni avances) y se
evalúan con cortes y criterios al azar.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analisis.errores import AnalisisError
from analisis.evaluacion.calculo import calcular
from analisis.evaluacion.criterios import CRITERIOS
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.lectura.fechas import ANIO_MAX, ANIO_MIN
from analisis.lectura.paquete import tablas_desde_tablero
from analisis.lectura.tablero import parsear_texto

_porcentajes = st.one_of(
    st.sampled_from(["0%", "100%", "7%", "72%", "72.", "7", "41,7 %", "100.5%", "050%", "１２%", "12.50%"]),
    st.text(alphabet="0123456789.,% ", max_size=7),
)
_fechas = st.dates(min_value=date(ANIO_MIN, 1, 1), max_value=date(ANIO_MAX, 12, 31))


@settings(max_examples=200, deadline=None)
@given(_porcentajes)
def test_porcentaje_se_lee_o_da_error_del_paquete(valor):
    texto = f"COMPROMISO 1:\nT\nPORCENTAJE DE AVANCE:\n{valor}\n"
    try:
        t = parsear_texto(texto, "p.txt")
    except AnalisisError:
        return
    numero = t.compromisos[0].get("porcentaje_reportado")
    assert numero is None or 0 <= numero <= 100


@st.composite
def _tablero(draw) -> str:
    lineas = []
    for n in range(1, draw(st.integers(1, 3)) + 1):
        lineas += [f"COMPROMISO {n}:", f"Compromiso {n}"]
        if draw(st.booleans()):
            lineas += ["PORCENTAJE DE AVANCE:", draw(_porcentajes)]
        lineas += ["GOBIERNO", "Ministerio de Finanzas Públicas", "OSC", draw(st.sampled_from(["Red A", "Red A; Red B", "GGM"]))]
        for _ in range(draw(st.integers(0, 3))):
            lineas += ["INSTITUCIÓN RESPONSABLE:", draw(st.sampled_from(["Ministerio de Salud", "MINFIN", "Comisión"]))]
            if draw(st.booleans()):
                lineas.append(f"FECHA DE INICIO: {draw(_fechas).strftime('%d/%m/%Y')}")
            if draw(st.booleans()):
                lineas.append(f"FECHA DE FIN: {draw(st.sampled_from(['Junio', 'enero', 'Diciembre']))} {draw(_fechas).year}")
            lineas += ["DESCRIPCIÓN:", "Hito", "AVANCES"]
            for _ in range(draw(st.integers(0, 3))):
                lineas += [f"Fecha: {draw(_fechas).isoformat()} 10:00:00", "Descripción: avance"]
                if draw(st.booleans()):
                    lineas.append(f"Porcentaje avance: {draw(_porcentajes)}")
    return "\n".join(lineas) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tablero(), _fechas, st.sampled_from(CRITERIOS))
def test_metricas_de_cualquier_tablero_o_error_del_paquete(texto, corte, criterio):
    try:
        tablas = tablas_desde_tablero(parsear_texto(texto, "generado.txt"))
        resultado = calcular(tablas, Evaluacion(corte=corte, criterio=criterio))
    except AnalisisError:
        return
    avance = resultado["metricas_hitos"].get("avance")
    if avance is not None:
        assert ((avance.dropna() >= 0) & (avance.dropna() <= 100)).all()
