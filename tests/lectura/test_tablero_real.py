"""Hechos del tablero real (data/raw/) contados a mano en el archivo crudo."""

from __future__ import annotations

from pathlib import Path

import pytest

from analisis.lectura.tablero import parsear_archivo

CRUDO = Path(__file__).parents[2] / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"


@pytest.fixture(scope="module")
def real():
    return parsear_archivo(CRUDO)


def _hito(t, hito_id):
    return next(h for h in t.hitos if h["hito_id"] == hito_id)


def _avance(t, avance_id):
    return next(a for a in t.avances if a["avance_id"] == avance_id)


def test_totales(real):
    # 6 «COMPROMISO N:», 27 «INSTITUCIÓN RESPONSABLE:», 44 «Fecha:».
    assert (len(real.compromisos), len(real.hitos), len(real.avances)) == (6, 27, 44)


def test_hitos_por_compromiso(real):
    por_compromiso = {}
    for h in real.hitos:
        por_compromiso[h["compromiso"]] = por_compromiso.get(h["compromiso"], 0) + 1
    assert por_compromiso == {1: 4, 2: 6, 3: 4, 4: 3, 5: 5, 6: 5}


def test_contadores_cabecera(real):
    # Líneas 1-4: «8», «HITOS NO INICIADOS19», «HITOS INICIADOS7», «HITOS COMPLETADOS».
    assert real.tablero == [{"linea": 1, "hitos_no_iniciados": 8, "hitos_iniciados": 19, "hitos_completados": 7}]


def test_porcentajes_reportados(real):
    assert [c["porcentaje_reportado"] for c in real.compromisos] == [50.0, 76.0, 70.5, 69.67, 54.67, 87.0]


def test_hito_con_fechas_de_mes(real):
    h = _hito(real, "1.4")  # líneas 90-93: «Febrero 2024» a «Junio 2025»
    assert h["linea"] == 90
    assert (h["fecha_inicio"], h["fecha_inicio_precision"]) == ("2024-02-01", "mes")
    assert (h["fecha_fin"], h["fecha_fin_precision"]) == ("2025-06-30", "mes")
    assert h["institucion"] == "Comisión Nacional contra la Corrupción"


def test_hitos_con_y_sin_fechas(real):
    con_fechas = [h["hito_id"] for h in real.hitos if h.get("fecha_fin")]
    assert con_fechas == ["1.1", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "4.1", "4.2", "4.3", "5.1", "5.4"]


def test_descripcion_partida_en_seis_lineas(real):
    d = _hito(real, "4.2")["descripcion"]  # líneas 347-352
    assert d.count("\n") == 5
    assert d.startswith("El diseño, por parte de la MMM")
    assert d.endswith("mayores tasas de migración irregular.")


def test_resultados_partidos_a_media_frase(real):
    r = _hito(real, "3.3")["resultados_esperados"]  # líneas 251-254
    assert r.split("\n")[1] == "de forma desagregada, detallada y actualizada, sin necesidad de requerimiento, en cumplimiento de las recomendaciones que"
    assert r.endswith("vertidas en los informes de infraestructura realizados por CoST")


def test_ultimo_avance_sin_medios_y_con_enlace(real):
    a = _avance(real, "1.4.2")  # líneas 106-108, justo antes de «COMPROMISO 2:»
    assert a["linea"] == 106
    assert a["fecha_registro"] == "2025-05-22T17:33:50"
    assert a["porcentaje"] == 100.0
    assert a["urls"] == "https://www.facebook.com/share/v/1DHug9Dcne/"
    assert "medios_verificacion" not in a


def test_porcentajes_decimales(real):
    assert [a["porcentaje"] for a in real.avances if a["hito_id"] == "4.1"] == [8.34, 16.68, 25.02, 33.36, 41.7, 50.04]


def test_avances_incrementales_en_orden_listado(real):
    serie = [a["porcentaje"] for a in real.avances if a["hito_id"] == "5.3"]
    assert serie == [5, 5, 10, 5, 5, 5, 10, 10, 25]
    # El primero listado (línea 438) se registró después del segundo (línea 442).
    assert _avance(real, "5.3.1")["fecha_registro"] == "2025-02-28T20:53:18"
    assert _avance(real, "5.3.2")["fecha_registro"] == "2025-02-28T20:25:32"


def test_medios_de_verificacion_vacios(real):
    # Las 24 etiquetas «Medios de verificación:» del tablero no traen texto.
    assert all(not a.get("medios_verificacion") for a in real.avances)


def test_medios_de_verificacion_etiqueta_vacia_o_ausente(real):
    # grep -n 'Medios de verificación' da 24 líneas (53, 57, ..., 445), todas
    # seguidas de otra etiqueta; cada una es la cuarta línea del avance que la
    # trae. Los otros 20 de los 44 «Fecha:» no tienen la etiqueta.
    vacias = {
        *(f"1.2.{n}" for n in range(1, 9)), "1.4.1", "2.3.1", "2.3.2", "2.5.1", "3.1.4", "3.3.1", "3.4.1",
        *(f"4.1.{n}" for n in range(1, 7)), "5.2.1", "5.3.1", "5.3.2",
    }
    assert len(vacias) == 24
    estados = {a["avance_id"]: a["medios_verificacion_estado"] for a in real.avances}
    assert {i for i, e in estados.items() if e == "vacio"} == vacias
    assert sum(e == "sin_etiqueta" for e in estados.values()) == 20
    assert estados["1.4.2"] == "sin_etiqueta"  # líneas 106-108: «Porcentaje avance» y luego «COMPROMISO 2:»


def test_enlaces_encontrados(real):
    con_enlace = [a["avance_id"] for a in real.avances if a["urls"]]
    assert con_enlace == ["1.4.2", "3.2.1", "3.3.2", "3.3.3"]


@pytest.mark.parametrize(
    "compromiso,sector,cuantos",
    [(1, "GOBIERNO", 2), (1, "OSC", 14), (1, "OTROS", 1), (4, "OSC", 14), (5, "OSC", 17), (6, "OSC", 7)],
    ids=["c1-gobierno", "c1-osc", "c1-otros", "c4-osc-con-punto-y-coma", "c5-osc-con-punto-y-coma", "c6-osc"],
)
def test_actores_por_compromiso_y_sector(real, compromiso, sector, cuantos):
    nombres = [a["nombre"] for a in real.actores if a["compromiso"] == compromiso and a["sector"] == sector]
    assert len(nombres) == cuantos


def test_lista_con_punto_y_coma(real):
    c5 = [a["nombre"] for a in real.actores if a["compromiso"] == 5 and a["sector"] == "OSC"]
    assert c5[-2:] == ["Ixoq’ib’ Miriam", "Mujeres con Poder Constituyente"]
