"""Pruebas de lo reportado «a la fecha de corte»: qué captura da el porcentaje y los contadores."""

from __future__ import annotations

import json
import math
import shutil
from datetime import date
from pathlib import Path

import pytest

from analisis.evaluacion.calculo import calcular
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.evaluacion.reportado import NO_OBSERVADO, contadores_al_corte, observacion_al_corte
from analisis.lectura.historial import historial_de
from analisis.lectura.paquete import tablas_desde_tablero

CAPTURAS = Path(__file__).parents[1] / "fixtures" / "capturas"
CRUDO = Path(__file__).parents[2] / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"


def _tablas(tmp_path, posterior, anterior="anterior.txt"):
    carpeta = tmp_path / "plan"
    carpeta.mkdir()
    for nombre, fecha, destino in ((anterior, "2024-03-01T12:00:00-06:00", "a.txt"), (posterior, "2024-04-01T12:00:00-06:00", "b.txt")):
        shutil.copy(CAPTURAS / nombre, carpeta / destino)
        (carpeta / f"{destino}.procedencia.json").write_text(json.dumps({"fecha_captura": fecha}), encoding="utf-8")
    return tablas_desde_tablero(historial_de([carpeta]))


@pytest.mark.parametrize(
    "corte,captura,porcentaje",
    [(date(2024, 2, 15), None, None), (date(2024, 3, 1), 1, 50.0), (date(2024, 3, 15), 1, 50.0), (date(2024, 4, 30), 2, 60.0)],
    ids=["antes-de-ambas", "dia-de-la-primera", "entre-ambas", "despues-de-ambas"],
)
def test_porcentaje_reportado_de_la_captura_al_corte(tmp_path, corte, captura, porcentaje):
    tablas = _tablas(tmp_path, "porcentaje_reportado_cambiado.txt")
    mc = calcular(tablas, Evaluacion(corte)).get("metricas_compromisos").set_index("compromiso")
    if captura is None:
        assert math.isnan(mc.loc[1, "porcentaje_reportado"]) and mc["captura_reportado"].isna().all()
        assert math.isnan(mc.loc[1, "diferencia"])
    else:
        assert mc.loc[1, "porcentaje_reportado"] == porcentaje
        assert list(mc["captura_reportado"]) == [captura, captura]


def test_sin_captura_al_corte_no_hay_alerta_de_porcentaje(tmp_path):
    """Al 15 de febrero de 2024 el compromiso 1 tiene 25 % recalculado; el 50 % reportado es de después."""
    tablas = _tablas(tmp_path, "porcentaje_reportado_cambiado.txt")
    antes = calcular(tablas, Evaluacion(date(2024, 2, 15)))["alertas"]
    entre = calcular(tablas, Evaluacion(date(2024, 3, 15)))["alertas"]
    assert "porcentaje_difiere" not in set(antes["tipo"])
    assert "porcentaje_difiere" in set(entre["tipo"])  # 50 reportado frente a (50 + 30) / 2 = 40 recalculado


def test_contadores_de_la_captura_al_corte(tmp_path):
    tablas = _tablas(tmp_path, "hito_agregado.txt")
    # La posterior tiene un hito más pero los mismos contadores: se distinguen por su captura.
    assert list(contadores_al_corte(tablas, observacion_al_corte(tablas.capturas, date(2024, 3, 15)))["captura"]) == [1]
    assert list(contadores_al_corte(tablas, observacion_al_corte(tablas.capturas, date(2024, 4, 15)))["captura"]) == [2]
    assert contadores_al_corte(tablas, observacion_al_corte(tablas.capturas, date(2024, 1, 1))).empty


@pytest.mark.parametrize(
    "corte,senalado",
    [(date(2024, 2, 25), False), (date(2024, 3, 15), True), (date(2024, 4, 30), False)],
    ids=["sin-captura-al-corte", "solo-la-anterior-al-corte", "la-posterior-ya-lo-muestra"],
)
def test_avance_que_ninguna_captura_al_corte_mostraba(tmp_path, corte, senalado):
    """El avance del 2024-02-20 no estaba en la captura del 1 de marzo: al 15 de marzo cuenta sin haberse visto."""
    tablas = _tablas(tmp_path, "avance_retrofechado.txt")
    alertas = calcular(tablas, Evaluacion(corte))["alertas"]
    no_vistos = alertas[alertas["tipo"] == "no_visto_al_corte"]
    assert list(no_vistos["avance_id"]) == (["1.2.2"] if senalado else [])
    if senalado:
        assert "aparece por primera vez en la captura 2 (2024-04-01T12:00:00-06:00)" in no_vistos.iloc[0]["detalle"]


@pytest.mark.parametrize(
    "corte,captura,texto",
    [
        (date(2025, 3, 31), None, NO_OBSERVADO),
        (date(2025, 6, 30), 1, "captura 1, de fecha desconocida (posterior a 2025-05-22 17:33:50): puede ser posterior al corte"),
    ],
    ids=["antes-del-minimo", "despues-del-minimo"],
)
def test_captura_incluida_de_fecha_desconocida(corte, captura, texto):
    tablas = tablas_desde_tablero(historial_de([CRUDO]))
    obs = observacion_al_corte(tablas.capturas, corte)
    assert obs.captura == captura and obs.describir() == texto


def test_archivo_suelto_sin_ficha_se_usa_como_siempre(plan):
    """Sin ficha no consta que sea posterior a ningún corte: lo reportado se usa, como antes del historial."""
    mc = calcular(plan, Evaluacion(date(2000, 1, 1)))["metricas_compromisos"]
    assert list(mc["captura_reportado"]) == [1] * len(mc)
    assert not mc["porcentaje_reportado"].isna().all()


@pytest.mark.parametrize(
    "corte,captura,porcentaje_c1",
    [(date(2025, 3, 31), None, None), (date(2025, 4, 30), 1, 40.0), (date(2025, 6, 30), 1, 40.0)],
    ids=["antes-de-ambas", "entre-ambas", "despues-del-minimo-de-la-incluida"],
)
def test_dos_capturas_del_plan_incluido_metricas_al_corte(plan_con_dos_capturas, corte, captura, porcentaje_c1):
    """La captura incluida puede ser del 23 de mayo o de mucho después: solo la del 15 de abril consta antes del corte."""
    tablas = tablas_desde_tablero(historial_de([plan_con_dos_capturas]))
    mc = calcular(tablas, Evaluacion(corte))["metricas_compromisos"].set_index("compromiso")
    if captura is None:
        assert mc["porcentaje_reportado"].isna().all()
    else:
        assert mc.loc[1, "porcentaje_reportado"] == porcentaje_c1
        assert mc.loc[3, "porcentaje_reportado"] == 70.5  # sin cambios entre capturas
        assert set(mc["captura_reportado"]) == {captura}


def test_recalculado_usa_la_captura_mas_reciente_y_senala_lo_no_visto(plan_con_dos_capturas):
    """Al 30 de abril: el avance del hito 3.4 (registrado el 9 de abril) cuenta, aunque la captura del 15 no lo mostraba."""
    tablas = tablas_desde_tablero(historial_de([plan_con_dos_capturas]))
    r = calcular(tablas, Evaluacion(date(2025, 4, 30)))
    assert r["metricas_hitos"].set_index("hito_id").loc["3.4", "avance"] == 100.0
    no_vistos = r["alertas"][r["alertas"]["tipo"] == "no_visto_al_corte"]
    assert list(no_vistos["hito_id"]) == ["3.4"]
