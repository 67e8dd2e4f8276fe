"""Valoraciones junto a las métricas y alerta valoracion_sin_respaldo (analisis.evaluacion.valoraciones).

Cifras del plan de ejemplo (tests/fixtures/metricas/plan.txt) al 31/03/2025,
criterio «ultimo», leídas a mano:

=========  =======  =========  ================  =========================
elemento   avances  avance     nivel             avances con evidencia
=========  =======  =========  ================  =========================
hito 1.1   3        100        completo          2 (acta; enlace)
hito 1.2   2        10         limitado          0 (el de abril no cuenta)
hito 2.1   0        0          sin evidencia     0
hito 2.2   1        0          no iniciado       0
comp. 1    5        55         sustancial        2
comp. 2    1        0          no iniciado       0
=========  =======  =========  ================  =========================

Líneas del archivo crudo: compromiso 1 → 5, compromiso 2 → 57, hitos 1.1 → 19,
1.2 → 39, 2.1 → 67, 2.2 → 72.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analisis.evaluacion.calculo import calcular
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.evaluacion.valoraciones import alertas_valoraciones, plantilla
from analisis.lectura.valoraciones import leer_valoraciones

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valoraciones" / "plan.csv"
CABECERA = "nivel,id,titulo,completitud_sugerida,completitud,potencial,resultados,evidencia_verificada,nota,evaluador,fecha_valoracion"
T1 = Evaluacion.desde_textos("2025-T1")


def _valoraciones(plan, tmp_path, *filas):
    ruta = tmp_path / "v.csv"
    ruta.write_text("\n".join([CABECERA, *filas]) + "\n", encoding="utf-8")
    return leer_valoraciones(ruta, plan.compromisos["compromiso"], plan.hitos["hito_id"])


def _del_ejemplo(plan):
    return leer_valoraciones(FIXTURE, plan.compromisos["compromiso"], plan.hitos["hito_id"])


def test_plantilla_del_ejemplo_sugiere_el_nivel_de_los_datos(plan):
    t = plantilla(plan, calcular(plan, T1))
    assert list(zip(t["nivel"], t["id"], t["completitud_sugerida"])) == [
        ("compromiso", "1", "sustancial"),
        ("hito", "1.1", "completo"),
        ("hito", "1.2", "limitado"),
        ("compromiso", "2", "no_iniciado"),
        ("hito", "2.1", "sin_evidencia"),
        ("hito", "2.2", "no_iniciado"),
    ]
    assert list(t["titulo"]) == ["Datos abiertos", "Publicar conjuntos de datos", "Capacitar a funcionarios",
                                 "Mujeres", "Ampliar presupuesto", "Hito atrasado"]
    evaluador = ["completitud", "potencial", "resultados", "evidencia_verificada", "nota", "evaluador", "fecha_valoracion"]
    assert (t[evaluador] == "").all().all()


def test_plantilla_del_plan_real_tiene_33_filas(real):
    """6 compromisos y 27 hitos: 4 + 6 + 4 + 3 + 5 + 5 contados en el tablero."""
    t = plantilla(real, calcular(real, Evaluacion.desde_textos("2025-T2")))
    assert len(t) == 33
    por_compromiso = t[t["nivel"] == "hito"]["id"].str.split(".").str[0].value_counts().sort_index()
    assert por_compromiso.to_dict() == {"1": 4, "2": 6, "3": 4, "4": 3, "5": 5, "6": 5}


def test_sin_valoraciones_las_metricas_no_cambian(plan):
    sin = calcular(plan, T1)
    assert "completitud_valorada" not in sin["metricas_hitos"].columns
    assert "completitud_valorada" not in sin["metricas_compromisos"].columns


def test_metricas_de_hitos_llevan_lo_valorado_al_lado(plan):
    mh = calcular(plan, T1, valoraciones=_del_ejemplo(plan))["metricas_hitos"].set_index("hito_id")
    assert mh.loc[["1.1", "1.2", "2.1", "2.2"], "completitud_valorada"].tolist() == ["completo", "sustancial", "completo", ""]
    assert mh.loc[["1.1", "1.2", "2.1", "2.2"], "evidencia_verificada"].tolist() == ["sí", "no", "parcial", ""]
    # Lo recalculado sigue igual al lado.
    assert mh.loc[["1.1", "1.2"], "nivel_irm"].tolist() == ["completo", "limitado"]


def test_metricas_de_compromisos_llevan_lo_valorado_al_lado(plan):
    mc = calcular(plan, T1, valoraciones=_del_ejemplo(plan))["metricas_compromisos"].set_index("compromiso")
    assert mc.loc[1, ["completitud_valorada", "potencial_valorado", "resultados_valorados", "evidencia_verificada"]].tolist() == [
        "sustancial", "modesto", "moderados", "sí"
    ]
    assert mc.loc[2, ["completitud_valorada", "potencial_valorado", "resultados_valorados", "evidencia_verificada"]].tolist() == [
        "", "", "significativos", ""
    ]
    assert mc.loc[1, "porcentaje_reportado"] == 55 and mc.loc[1, "avance_calculado"] == 55


def test_alertas_del_ejemplo(plan):
    alertas = calcular(plan, T1, valoraciones=_del_ejemplo(plan))["alertas"]
    propias = alertas[alertas["tipo"] == "valoracion_sin_respaldo"]
    assert list(zip(propias["linea"], propias["compromiso"], propias["hito_id"], propias["detalle"])) == [
        (39, 1, "1.2", "completitud valorada «sustancial» (valoración en plan.csv:5) por encima de los datos: "
                       "el hito 1.2 tiene 10 % recalculado (nivel «limitado»)"),
        (57, 2, "", "resultados valorados «significativos» (valoración en plan.csv:6) sin implementación registrada: "
                    "el compromiso 2 está «no iniciado» en los datos"),
        (67, 2, "2.1", "completitud valorada «completo» (valoración en plan.csv:7) por encima de los datos: "
                       "el hito 2.1 no tiene ningún avance registrado hasta el corte"),
        (67, 2, "2.1", "evidencia verificada «parcial» (valoración en plan.csv:7) pero ningún avance registrado "
                       "hasta el corte del hito 2.1 trae medios de verificación ni enlaces"),
    ]


def test_las_demas_alertas_siguen_ahi(plan):
    sin = calcular(plan, T1)["alertas"]
    con = calcular(plan, T1, valoraciones=_del_ejemplo(plan))["alertas"]
    assert len(con) == len(sin) + 4
    assert con[con["tipo"] != "valoracion_sin_respaldo"].reset_index(drop=True).equals(sin)


@pytest.mark.parametrize(
    "fila",
    [
        pytest.param("hito,1.1,,,limitado,,,,,,", id="por-debajo-de-los-datos"),
        pytest.param("hito,1.2,,,limitado,,,,,,", id="igual-a-los-datos"),
        pytest.param("hito,2.2,,,no_iniciado,,,no,,,", id="no-iniciado-con-un-avance-a-0"),
        pytest.param("hito,2.1,,,sin_evidencia,,,,,,", id="sin-evidencia-sin-avances"),
        pytest.param("compromiso,1,,,sustancial,,sobresalientes,si,,,", id="resultados-con-implementacion"),
        pytest.param("compromiso,2,,,,,sin_resultados_notables,no,,,", id="sin-resultados-sin-implementacion"),
        pytest.param("hito,1.1,,,,,,si,,,", id="evidencia-si-con-evidencia"),
        pytest.param("hito,1.2,,,,,,no,,,", id="evidencia-no-sin-evidencia"),
    ],
)
def test_valoracion_con_respaldo_no_alerta(plan, tmp_path, fila):
    assert alertas_valoraciones(plan, calcular(plan, T1), _valoraciones(plan, tmp_path, fila)) == []


def test_el_corte_cuenta(plan, tmp_path):
    """El hito 1.1 llega a 100 % el 31/03 a las 23:59: «completo» tiene respaldo al cierre de marzo y no en febrero."""
    v = _valoraciones(plan, tmp_path, "hito,1.1,,,completo,,,,,,")
    assert alertas_valoraciones(plan, calcular(plan, T1), v) == []
    febrero = alertas_valoraciones(plan, calcular(plan, Evaluacion.desde_textos("2025-02")), v)
    assert [a["detalle"] for a in febrero] == [
        "completitud valorada «completo» (valoración en v.csv:2) por encima de los datos: "
        "el hito 1.1 tiene 60 % recalculado (nivel «sustancial»)"
    ]


def test_compromiso_por_encima_de_su_media(plan, tmp_path):
    v = _valoraciones(plan, tmp_path, "compromiso,1,,,completo,,,,,,")
    [alerta] = alertas_valoraciones(plan, calcular(plan, T1), v)
    assert (alerta["linea"], alerta["compromiso"], alerta["hito_id"]) == (5, 1, "")
    assert alerta["detalle"].endswith("el compromiso 1 tiene 55 % recalculado (nivel «sustancial»)")
