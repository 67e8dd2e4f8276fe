"""Síntesis del informe (analisis.informe.resumen) sobre el ejemplo escrito a mano.

Hechos de ``tests/fixtures/metricas/plan.txt`` al 31/03/2025 (ver la cabecera
de tests/evaluacion/test_metricas.py): el hito 1.1 llega a 100 % el 31/03; el
1.2 tiene dos avances de 10 % (el tercero es de abril); el 2.1 no tiene avances
ni fechas; el 2.2 tiene un avance de 0 % y terminó el 31/12/2024. El
compromiso 1 reporta 55 % y el 2, 10 %. Solo el avance 1.1.1 trae medios de
verificación y solo el 1.1.2 un enlace.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe import resumen
from analisis.informe.contexto import Contexto
from analisis.lectura.paquete import tablas_desde_tablero
from analisis.lectura.tablero import parsear_archivo

MEDIOS = Path(__file__).parents[1] / "fixtures" / "tablero" / "medios.txt"


@pytest.fixture(scope="module")
def ctx(plan):
    return Contexto(ev=Evaluacion.desde_textos("2025-T1"), datos="", clave=("plan-resumen", "0"), tablas=plan)


def test_resumen_en_prosa(ctx):
    assert resumen.resumen_en_prosa(ctx) == [
        # 2.1 sin avances; 2.2 con uno, de 0 %.
        "Al corte del 2025-03-31, de los 4 hitos del plan, 1 está completado, 1 en progreso y 2 sin iniciar: "
        "1 hito no tiene ningún avance registrado y 1 tiene avances, pero en 0 %.",
        "1 hito está vencido: su fecha de fin pasó sin llegar al 100 %. Otro hito no tiene fecha de fin y no puede quedar vencido.",
        "De los 6 avances registrados hasta el corte, 4 no traen medios de verificación ni enlaces; "
        "2 hitos tienen avances pero ninguno con medios de verificación o enlaces que los respalden.",
        "1 compromiso de 2 no llega al 50 % de avance recalculado; de menos a más: el 2 (0.0\u00a0%).",
        "El tablero reporta más avance que el recalculado en 1 compromiso; la mayor diferencia es la del compromiso 2: "
        "10\u00a0% reportado frente a 0.0\u00a0% recalculado. "
        "Lo reportado sale de: captura 1, de fecha desconocida: puede ser posterior al corte.",
        "Desde el cierre de 2024-T4 (2024-12-31), 2 hitos cambiaron de estado (1.1 y 1.2), 2 hitos cambiaron su avance "
        "(1.1 y 1.2) y 1 hito quedó vencido (2.2); se registraron 6 avances en el periodo.",
    ]


def test_conciliacion_compara_contadores_anidados(ctx):
    tabla = resumen.conciliacion_contadores(ctx)
    # Cabecera 3 / 2 / 1. Datos: 1 hito sin avances (2.1), 3 con alguno, 1 al 100 % (1.1), 4 hitos.
    assert list(zip(tabla["tablero"], tabla["datos"], tabla["diferencia"])) == [(3, 1, 2), (2, 3, -1), (1, 1, 0), (5, 4, 1)]


def test_evidencia_de_avances(ctx):
    tabla = resumen.evidencia_de_avances(ctx)
    # 6 avances al corte: 1.1.1 con medios escritos; los otros 5, sin la etiqueta;
    # 1.1.2 con enlace; 4 sin medios ni enlaces.
    assert tabla["avances"].tolist() == [6, 1, 0, 5, 1, 4]


# tests/fixtures/tablero/medios.txt, hasta el 30/06/2025: 1.1.1 y 1.1.2 con medios
# escritos, 1.1.3 y 1.2.1 con la etiqueta vacía, 1.1.4 y 1.2.2 sin la etiqueta
# (1.2.2 con un enlace); 1.2.3 (etiqueta vacía) es de julio.
@pytest.fixture(scope="module")
def ctx_medios():
    tablas = tablas_desde_tablero(parsear_archivo(MEDIOS))
    return Contexto(ev=Evaluacion.desde_textos("2025-T2"), datos="", clave=("medios-resumen", "0"), tablas=tablas)


def test_evidencia_separa_etiqueta_vacia_de_ausente(ctx_medios):
    tabla = resumen.evidencia_de_avances(ctx_medios)
    assert list(zip(tabla["indicador"], tabla["avances"])) == [
        ("Avances registrados hasta el corte", 6),
        ("«Medios de verificación»: con texto", 2),
        ("«Medios de verificación»: etiqueta vacía", 2),
        ("«Medios de verificación»: sin etiqueta", 2),
        ("Con algún enlace en la descripción o los medios", 1),
        ("Sin medios de verificación ni enlaces", 3),
    ]


def test_avances_sin_medios_dice_cuales(ctx_medios):
    tabla = resumen.avances_sin_medios(ctx_medios)
    assert tabla.to_dict("records") == [
        {"hito_id": "1.1", "vacio": "1.1.3", "sin_etiqueta": "1.1.4"},
        {"hito_id": "1.2", "vacio": "1.2.1", "sin_etiqueta": "1.2.2"},
    ]


def test_aviso_de_hitos_sin_fecha_de_fin(ctx):
    aviso = resumen.aviso_hitos_sin_fecha(ctx)
    assert aviso.startswith("1 hito de 4 no tiene fecha de fin en el tablero (2.1)")
    assert "nunca pueden figurar como vencidos" in aviso


def test_alertas_con_etiqueta_y_compromiso(ctx):
    tabla = resumen.detalle_alertas(ctx)
    assert "contadores_no_cuadran" not in set(tabla["etiqueta"])
    cabecera = tabla[tabla["tipo"] == "contadores_no_cuadran"]
    assert set(cabecera["etiqueta"]) == {"Contadores de la cabecera que no cuadran"}
    assert set(cabecera["compromiso_texto"]) == {"cabecera"}
    assert tabla.loc[tabla["tipo"] == "hito_sin_fechas", "compromiso_texto"].tolist() == ["2"]


def test_alertas_por_tipo_con_etiqueta(ctx):
    tabla = resumen.alertas_por_tipo(ctx)
    assert all("_" not in e for e in tabla["etiqueta"])


def test_tablero_real_24_etiquetas_vacias_y_20_ausentes(real):
    # Al 30/06/2025 ya estaban registrados los 44 avances (el último, el 22/05/2025).
    ctx = Contexto(ev=Evaluacion.desde_textos("2025-T2"), datos="", clave=("real-medios", "0"), tablas=real)
    tabla = resumen.evidencia_de_avances(ctx)
    cuantos = dict(zip(tabla["indicador"], tabla["avances"]))
    assert cuantos["«Medios de verificación»: etiqueta vacía"] == 24
    assert cuantos["«Medios de verificación»: sin etiqueta"] == 20
    por_hito = resumen.avances_sin_medios(ctx).set_index("hito_id")
    assert (por_hito.loc["1.2", "vacio"], por_hito.loc["1.2", "sin_etiqueta"]) == (
        "1.2.1, 1.2.2, 1.2.3, 1.2.4, 1.2.5, 1.2.6, 1.2.7, 1.2.8", "—"
    )
    assert (por_hito.loc["3.1", "vacio"], por_hito.loc["3.1", "sin_etiqueta"]) == ("3.1.4", "3.1.1, 3.1.2, 3.1.3")


def test_sin_vencidos_no_dice_otros(plan):
    # Al 2024-09-30 ningún plazo terminó (el 2.2 vence el 31/12/2024, los del compromiso 1 en 2025)
    # y solo el 2.1 no tiene fechas: no hay «otros» hitos a los que sumarlo.
    ctx = Contexto(ev=Evaluacion.desde_textos("2024-T3"), datos="", clave=("plan-resumen", "2024-T3"), tablas=plan)
    assert "Ningún hito está vencido. 1 hito no tiene fecha de fin y no puede quedar vencido." in resumen.resumen_en_prosa(ctx)


def test_hito_que_vence_el_dia_del_corte_se_nombra_sin_contarlo_vencido(plan):
    # El 2.2 termina el 31/12/2024 con su único avance en 0 %: al corte de 2024-T4 vence ese mismo día.
    ctx = Contexto(ev=Evaluacion.desde_textos("2024-T4"), datos="", clave=("plan-resumen", "2024-T4"), tablas=plan)
    prosa = resumen.resumen_en_prosa(ctx)
    assert "Ningún hito está vencido. 1 hito no tiene fecha de fin y no puede quedar vencido." in prosa
    assert "1 hito vence el mismo día del corte sin estar completado (2.2); aún no cuenta como vencido." in prosa


def test_hitos_cuya_serie_no_encaja_con_el_criterio_con_los_tres_valores():
    from analisis.lectura.paquete import leer_paquete

    tablas = leer_paquete("data/processed")
    ctx = Contexto(ev=Evaluacion.desde_textos("2025-T2"), datos="", clave=("real-series", "0"), tablas=tablas)
    # Tablero, hito 5.3 en orden de registro (28/02/2025, 20:25 a 20:53): 5, 10, 5, 5, 5, 10, 10, 25, 5;
    # hito 5.4 (22/04/2025): 28 y luego 0. Ambas bajan y suman 100 o menos: incrementales.
    assert (
        "En 2 hitos la serie de porcentajes no encaja con el criterio «último» de este informe y el avance depende "
        "del criterio: el 5.3 (serie incremental) da 5.0\u00a0% con «último», 25.0\u00a0% con «máximo» y 80.0\u00a0% "
        "con «suma»; el 5.4 (serie incremental) da 0.0\u00a0% con «último», 28.0\u00a0% con «máximo» y 28.0\u00a0% con «suma»."
    ) in resumen.resumen_en_prosa(ctx)
