"""Pruebas de las métricas al corte (analisis.evaluacion.metricas).

Casi todas usan ``tests/fixtures/metricas/plan.txt`` (80 líneas con el
formato del tablero). Sus hechos, leídos a mano:

* hito 1.1 (GAE, 01/01/2025–31/03/2025): avances 20 % (10/01, con medios), 60 %
  (15/02, con enlace) y 100 % (31/03 a las 23:59, sin evidencia);
* hito 1.2 (GAE con «Presidencial», enero–junio 2025 → fin 30/06/2025):
  10 % registrado el 01/02 y listado primero, 10 % registrado el 20/01, 5 % el 02/04;
* hito 2.1 (DEMI escrita «Indigena»): sin fechas ni avances;
* hito 2.2 (Ministerio de Cultura y Deportes, desconocido; 01/06/2024–31/12/2024):
  un avance de 0 % el 15/01/2025;
* compromiso 1 reporta 55 %, el 2 reporta 10 %.

Al final, hechos del tablero real comprobados a mano en el archivo crudo.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analisis.lectura.paquete import tablas_desde_tablero
from analisis.errores import ErrorParametro
from analisis.evaluacion.metricas import (
    ARCHIVOS,
    COLUMNAS_COMPROMISOS,
    COLUMNAS_HITOS,
    COLUMNAS_INSTITUCIONES,
    estado_hito,
    metricas_compromisos,
    metricas_hitos,
    metricas_instituciones,
    nivel_irm,
    resumir_serie,
    validar_criterio,
)
from analisis.lectura.tablero import parsear_texto

GAE = "Comisión Presidencial de Gobierno Abierto y Electrónico"


def _hitos(tablas, corte, criterio="ultimo", inicio=None):
    return metricas_hitos(tablas.hitos, tablas.avances, corte, criterio, inicio).set_index("hito_id")


# --- series ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valores", "tipo"),
    [
        # Hito 4.1 real: nunca baja y suma 175.14 > 100.
        ([8.34, 16.68, 25.02, 33.36, 41.7, 50.04], "acumulada"),
        # Hito 5.3 real en orden listado: baja (10 → 5) y suma 80 ≤ 100.
        ([5, 5, 10, 5, 5, 5, 10, 10, 25], "incremental"),
        # Nunca baja y suma 30: vale como acumulada y como incrementos.
        ([10, 20], "ambigua"),
        # Baja (60 → 50) y suma 150: no encaja con ninguna lectura.
        ([60, 50, 40], "inconsistente"),
        ([40], "insuficiente"),
        ([], "insuficiente"),
        # El vacío no cuenta: queda un solo valor.
        ([math.nan, 30], "insuficiente"),
        # Iguales seguidos no son bajada: 40, 40, 50, 50 (hito 3.1 real) suma 180.
        ([40, 40, 50, 50], "acumulada"),
    ],
    ids=["acumulada-4.1", "incremental-5.3", "ambigua", "inconsistente", "un-valor", "vacia", "con-vacio", "repetidos"],
)
def test_tipo_de_serie(valores, tipo):
    assert resumir_serie(valores).tipo == tipo


@pytest.mark.parametrize(
    ("valores", "criterio", "esperado"),
    [
        ([20, 60, 100], "ultimo", 100),
        ([20, 60, 100], "maximo", 100),
        ([20, 60, 100], "suma", 100),  # 180 con tope 100
        ([30, 10], "ultimo", 10),
        ([30, 10], "maximo", 30),
        ([30, 10], "suma", 40),
        ([], "ultimo", 0),
        ([], "suma", 0),
    ],
    ids=["ultimo", "maximo", "suma-con-tope", "ultimo-tras-bajar", "maximo-oculta-bajada", "suma", "vacia-ultimo", "vacia-suma"],
)
def test_valor_segun_criterio(valores, criterio, esperado):
    assert resumir_serie(valores).valor(criterio) == esperado


def test_suma_sin_ruido_de_coma_flotante():
    # 8.34 sumado seis veces da 50.040000000000006 en binario; se espera 50.04.
    assert resumir_serie([8.34] * 6).suma == 50.04


@pytest.mark.parametrize(
    ("valores", "criterio", "ajusta"),
    [
        ([5, 10, 5], "ultimo", False),  # incremental
        ([5, 10, 5], "maximo", False),
        ([5, 10, 5], "suma", True),
        ([50, 100], "ultimo", True),  # acumulada
        ([50, 100], "suma", False),
        ([10, 20], "suma", True),  # ambigua
        ([10, 20], "ultimo", True),
        ([60, 50, 40], "ultimo", False),  # inconsistente
        ([60, 50, 40], "suma", False),
        ([70], "suma", True),  # insuficiente
    ],
    ids=[
        "incremental-ultimo",
        "incremental-maximo",
        "incremental-suma",
        "acumulada-ultimo",
        "acumulada-suma",
        "ambigua-suma",
        "ambigua-ultimo",
        "inconsistente-ultimo",
        "inconsistente-suma",
        "un-valor-suma",
    ],
)
def test_serie_ajusta_al_criterio(valores, criterio, ajusta):
    assert resumir_serie(valores).ajusta(criterio) is ajusta


_porcentajes = st.lists(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)), max_size=12)


@given(_porcentajes)
def test_propiedades_de_los_criterios(valores):
    r = resumir_serie(valores)
    for criterio in ("ultimo", "maximo", "suma"):
        assert 0 <= r.valor(criterio) <= 100
    if valores:
        # Porcentajes no negativos: la suma con tope nunca queda bajo el máximo, ni este bajo el último.
        assert r.valor("suma") >= r.valor("maximo") >= r.valor("ultimo")
    # Solo una serie inconsistente deja de encajar a la vez con «ultimo» y con «suma».
    assert r.ajusta("ultimo") or r.ajusta("suma") or r.tipo == "inconsistente"


# --- estado y nivel ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("avance", "avances", "estado", "nivel"),
    [
        (0.0, 0, "no iniciado", "sin evidencia"),
        (0.0, 2, "no iniciado", "no iniciado"),
        (0.01, 1, "en progreso", "limitado"),
        (49.99, 1, "en progreso", "limitado"),
        (50.0, 1, "en progreso", "sustancial"),
        (99.99, 1, "en progreso", "sustancial"),
        (100.0, 1, "completado", "completo"),
    ],
    ids=["sin-avances", "cero-por-ciento", "apenas-iniciado", "bajo-50", "justo-50", "casi-100", "100"],
)
def test_estado_y_nivel_en_los_umbrales(avance, avances, estado, nivel):
    assert (estado_hito(avance, avances), nivel_irm(avance, avances)) == (estado, nivel)


@pytest.mark.parametrize(("texto", "esperado"), [("ULTIMO", "ultimo"), (" suma ", "suma"), (None, "ultimo")], ids=["mayusculas", "espacios", "omision"])
def test_validar_criterio(texto, esperado):
    assert validar_criterio(texto) == esperado


def test_criterio_desconocido_es_error_claro():
    with pytest.raises(ErrorParametro, match="criterio no válido: «media»; use ultimo, maximo o suma"):
        validar_criterio("media")


# --- hitos -------------------------------------------------------------------------------------


def test_columnas_y_orden_de_hitos(plan):
    tabla = metricas_hitos(plan.hitos, plan.avances, date(2025, 3, 31))
    assert tabla.columns.tolist() == COLUMNAS_HITOS
    assert tabla["hito_id"].tolist() == ["1.1", "1.2", "2.1", "2.2"]


def test_hito_acumulado_completado_al_corte(plan):
    h = _hitos(plan, date(2025, 3, 31)).loc["1.1"]
    # 20, 60, 100 en orden: último 100, máximo 100, suma 180 → 100; nunca baja y suma > 100.
    assert (h["avances"], h["avance_ultimo"], h["avance_maximo"], h["avance_suma"]) == (3, 100, 100, 100)
    assert (h["avance"], h["tipo_serie"], h["serie_ajusta"]) == (100, "acumulada", True)
    assert (h["estado"], h["nivel_irm"]) == ("completado", "completo")
    # 1.1.1 trae medios y 1.1.2 un enlace; 1.1.3 nada: 2 de 3.
    assert h["avances_con_evidencia"] == 2
    assert h["cobertura_evidencia"] == pytest.approx(2 / 3)
    assert h["ultima_actualizacion"] == pd.Timestamp("2025-03-31 23:59:00")


def test_corte_cuenta_el_dia_entero(plan):
    # El 100 % se registró el 31/03 a las 23:59: cuenta al corte del 31, no al del 30.
    assert _hitos(plan, date(2025, 3, 31)).at["1.1", "avance"] == 100
    assert _hitos(plan, date(2025, 3, 30)).at["1.1", "avance"] == 60


def test_ultimo_es_por_hora_de_registro_no_por_orden_listado(plan):
    h = _hitos(plan, date(2025, 3, 31)).loc["1.2"]
    # 1.2.2 (20/01) se registró antes que 1.2.1 (01/02): la serie es 10, 10 y el
    # último es el de 1.2.1. El 5 % del 02/04 aún no cuenta. Suma 20 → ambigua.
    assert (h["avances"], h["avance"], h["tipo_serie"], h["estado"], h["nivel_irm"]) == (
        2,
        10,
        "ambigua",
        "en progreso",
        "limitado",
    )
    assert h["ultima_actualizacion"] == pd.Timestamp("2025-02-01 08:00:00")


@pytest.mark.parametrize(
    ("criterio", "avance", "ajusta"),
    [("ultimo", 5, False), ("maximo", 10, False), ("suma", 25, True)],
    ids=["ultimo", "maximo", "suma"],
)
def test_criterios_sobre_serie_incremental(plan, criterio, avance, ajusta):
    # Al 30/04 la serie de 1.2 es 10 (20/01), 10 (01/02), 5 (02/04): baja y suma 25.
    h = _hitos(plan, date(2025, 4, 30), criterio).loc["1.2"]
    assert (h["avance"], h["tipo_serie"], h["serie_ajusta"], h["criterio"]) == (avance, "incremental", ajusta, criterio)


def test_empate_de_hora_lo_decide_el_orden_listado():
    tablas = tablas_desde_tablero(parsear_texto(
        "COMPROMISO 1:\nX\nINSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\n"
        "Fecha: 2025-01-01 10:00:00\nDescripción: a\nPorcentaje avance: 30%\n"
        "Fecha: 2025-01-01 10:00:00\nDescripción: b\nPorcentaje avance: 20%\n"
    ))
    # Misma hora: el último listado (20 %) es el último.
    assert _hitos(tablas, date(2025, 1, 1)).at["1.1", "avance"] == 20


def test_avance_sin_porcentaje_es_actividad_pero_no_avance():
    tablas = tablas_desde_tablero(parsear_texto(
        "COMPROMISO 1:\nX\nINSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\n"
        "Fecha: 2025-01-01 10:00:00\nDescripción: reunión sin porcentaje\n"
    ))
    h = _hitos(tablas, date(2025, 1, 31)).loc["1.1"]
    assert (h["avances"], h["avances_con_porcentaje"], h["avance"]) == (1, 0, 0)
    assert math.isnan(h["avance_ultimo"])
    # Hay un avance: no es «sin evidencia» sino «no iniciado».
    assert (h["estado"], h["nivel_irm"]) == ("no iniciado", "no iniciado")


def test_hito_sin_avances(plan):
    h = _hitos(plan, date(2025, 3, 31)).loc["2.1"]
    assert (h["avances"], h["avance"], h["estado"], h["nivel_irm"]) == (0, 0, "no iniciado", "sin evidencia")
    assert math.isnan(h["cobertura_evidencia"])
    assert pd.isna(h["ultima_actualizacion"])
    # Sin fecha de fin no puede estar vencido ni tiene días para el fin.
    assert not h["vencido"]
    assert pd.isna(h["dias_para_fin"])


@pytest.mark.parametrize(
    ("corte", "vencido", "dias"),
    [(date(2024, 12, 30), False, 1), (date(2024, 12, 31), False, 0), (date(2025, 1, 1), True, -1), (date(2025, 3, 31), True, -90)],
    ids=["dia-antes-del-fin", "dia-del-fin", "dia-siguiente", "trimestre-despues"],
)
def test_vencido_solo_despues_del_dia_de_fin(plan, corte, vencido, dias):
    # 2.2 termina el 31/12/2024 y nunca pasa de 0 %. Del 31/12 al 31/03: 31 + 28 + 31 = 90 días.
    h = _hitos(plan, corte).loc["2.2"]
    assert (bool(h["vencido"]), h["dias_para_fin"]) == (vencido, dias)


def test_hito_completado_no_vence(plan):
    # 1.1 termina el 31/03/2025 y llegó a 100 % ese día: al 01/04 no está vencido.
    h = _hitos(plan, date(2025, 4, 1)).loc["1.1"]
    assert (h["estado"], bool(h["vencido"]), h["dias_para_fin"]) == ("completado", False, -1)


def test_fin_con_precision_de_mes_vence_al_terminar_el_mes(plan):
    # 1.2 termina «Junio 2025» → 30/06/2025.
    assert not _hitos(plan, date(2025, 6, 30)).at["1.2", "vencido"]
    assert _hitos(plan, date(2025, 7, 1)).at["1.2", "vencido"]


def test_avances_del_periodo(plan):
    # Febrero 2025: 1.1.2 (15/02) y 1.2.1 (01/02); 1.2.2 es del 20/01.
    h = _hitos(plan, date(2025, 2, 28), inicio=date(2025, 2, 1))
    assert h["avances_periodo"].to_dict() == {"1.1": 1, "1.2": 1, "2.1": 0, "2.2": 0}
    assert h["avances"].to_dict() == {"1.1": 2, "1.2": 2, "2.1": 0, "2.2": 1}


def test_sin_inicio_el_periodo_es_todo_hasta_el_corte(plan):
    h = _hitos(plan, date(2025, 2, 28))
    assert h["avances_periodo"].to_dict() == h["avances"].to_dict()


def test_instituciones_normalizadas_en_hitos(plan):
    h = _hitos(plan, date(2025, 3, 31))
    assert h["institucion_normalizada"].to_dict() == {
        "1.1": GAE,
        "1.2": GAE,
        "2.1": "Defensoría de la Mujer Indígena",
        "2.2": "Ministerio de Cultura y Deportes",
    }
    assert h["sigla"].to_dict() == {"1.1": "GAE", "1.2": "GAE", "2.1": "DEMI", "2.2": ""}
    # La escritura original se conserva.
    assert h.at["2.1", "institucion"] == "Defensoría de la Mujer Indigena"


_cortes = st.dates(min_value=date(2024, 6, 1), max_value=date(2025, 12, 31))


@settings(max_examples=25, deadline=None)
@given(_cortes, _cortes)
def test_un_corte_posterior_nunca_pierde_avances_ni_maximo(plan, uno, otro):
    antes, despues = sorted((uno, otro))
    a = _hitos(plan, antes, "maximo")
    d = _hitos(plan, despues, "maximo")
    assert (d["avances"] >= a["avances"]).all()
    assert (d["avance"] >= a["avance"]).all()


def test_columnas_de_compromisos(plan, compromisos_31_marzo):
    assert ["compromiso", *compromisos_31_marzo.columns] == COLUMNAS_COMPROMISOS


def test_compromiso_con_avance_igual_al_reportado(compromisos_31_marzo):
    c = compromisos_31_marzo.loc[1]
    # Hitos 1.1 = 100 y 1.2 = 10 → (100 + 10) / 2 = 55, igual al 55 % reportado.
    assert (c["hitos"], c["hitos_no_iniciados"], c["hitos_en_progreso"], c["hitos_completados"]) == (2, 0, 1, 1)
    assert (c["avance_calculado"], c["porcentaje_reportado"], c["diferencia"]) == (55, 55, 0)
    assert c["nivel_irm"] == "sustancial"
    # 3 avances de 1.1 y 2 de 1.2 al corte; con evidencia 1.1.1 y 1.1.2: 2 / 5.
    assert (c["avances"], c["avances_con_evidencia"], c["cobertura_evidencia"]) == (5, 2, 0.4)
    assert (c["hitos_vencidos"], c["ultima_actualizacion"]) == (0, pd.Timestamp("2025-03-31 23:59:00"))


def test_compromiso_que_reporta_mas_de_lo_que_tiene(compromisos_31_marzo):
    c = compromisos_31_marzo.loc[2]
    # 2.1 sin avances cuenta 0 y 2.2 está en 0 %: media 0; reporta 10 → diferencia 10.
    assert (c["hitos"], c["hitos_no_iniciados"], c["avance_calculado"], c["diferencia"]) == (2, 2, 0, 10)
    # Tiene un avance (de 0 %): «no iniciado», no «sin evidencia». 2.2 está vencido.
    assert (c["nivel_irm"], c["hitos_vencidos"], c["avances"], c["cobertura_evidencia"]) == ("no iniciado", 1, 1, 0)


def test_compromiso_sin_hitos_queda_vacio():
    tablas = tablas_desde_tablero(parsear_texto("COMPROMISO 7:\nSin hitos\nPORCENTAJE DE AVANCE:\n30%\n"))
    mh = metricas_hitos(tablas.hitos, tablas.avances, date(2025, 1, 1))
    c = metricas_compromisos(tablas.compromisos, mh).iloc[0]
    assert (c["compromiso"], c["hitos"], c["avances"], c["nivel_irm"]) == (7, 0, 0, "sin evidencia")
    assert math.isnan(c["avance_calculado"]) and math.isnan(c["diferencia"]) and math.isnan(c["cobertura_evidencia"])


def test_instituciones_agrupadas_por_nombre_normalizado(plan):
    mh = metricas_hitos(plan.hitos, plan.avances, date(2025, 3, 31))
    tabla = metricas_instituciones(mh)
    assert tabla.columns.tolist() == COLUMNAS_INSTITUCIONES
    # Orden alfabético sin tildes: comision…, defensoria…, ministerio….
    assert tabla["institucion"].tolist() == [GAE, "Defensoría de la Mujer Indígena", "Ministerio de Cultura y Deportes"]
    gae = tabla.iloc[0]
    # Los dos hitos de la GAE, escritos de dos formas, en una fila: (100 + 10) / 2.
    assert (gae["sigla"], gae["compromisos"], gae["hitos"], gae["avance_calculado"], gae["avances"]) == ("GAE", 1, 2, 55, 5)
    demi = tabla.iloc[1]
    assert (demi["hitos"], demi["avances"], demi["nivel_irm"]) == (1, 0, "sin evidencia")
    assert tabla.iloc[2]["hitos_vencidos"] == 1


# --- punto de entrada y escritura ---------------------------------------------------------------


def test_real_compromiso_3_reproduce_el_porcentaje_del_tablero(real):
    # Últimos valores: 3.1 = 50, 3.2 = 47, 3.3 = 85, 3.4 = 100 → 282 / 4 = 70.5 = 70.50 % reportado.
    mh = metricas_hitos(real.hitos, real.avances, date(2025, 6, 30))
    c = metricas_compromisos(real.compromisos, mh).set_index("compromiso").loc[3]
    assert (c["avance_calculado"], c["porcentaje_reportado"], c["diferencia"]) == (70.5, 70.5, 0)


@pytest.mark.parametrize(
    ("criterio", "avance", "ajusta"),
    [("ultimo", 5, False), ("maximo", 25, False), ("suma", 80, True)],
    ids=["ultimo", "maximo", "suma"],
)
def test_real_hito_5_3_segun_criterio(real, criterio, avance, ajusta):
    # 5.3 registrado: 5.3.2 (20:25:32) … 5.3.9 (20:43:36) y 5.3.1 (20:53:18) al final.
    # Último por hora: 5.3.1 = 5 %. Máximo 25 (5.3.9). Suma 5+5+10+5+5+5+10+10+25 = 80.
    h = _hitos(real, date(2025, 3, 1), criterio).loc["5.3"]
    assert (h["avance"], h["tipo_serie"], h["serie_ajusta"]) == (avance, "incremental", ajusta)


def test_real_hito_4_1_acumulado(real):
    h = _hitos(real, date(2025, 6, 30)).loc["4.1"]
    # 8.34 … 50.04, todos el 13/05/2025; con enlace ninguno.
    assert (h["avance"], h["tipo_serie"], h["avances"], h["cobertura_evidencia"]) == (50.04, "acumulada", 6, 0)


def test_real_estado_al_cierre(real):
    h = metricas_hitos(real.hitos, real.avances, date(2025, 6, 30))
    # Completados: 1.4, 2.3 y 3.4 (100 %). En progreso: 1.2, 2.5, 3.1, 3.2, 3.3, 4.1, 5.2, 5.3, 6.3.
    # 5.4 termina en 0 % (28 → 0): no iniciado. Los 14 restantes no tienen avances.
    assert h.loc[h["estado"] == "completado", "hito_id"].tolist() == ["1.4", "2.3", "3.4"]
    assert h.loc[h["estado"] == "en progreso", "hito_id"].tolist() == [
        "1.2", "2.5", "3.1", "3.2", "3.3", "4.1", "5.2", "5.3", "6.3",
    ]
    assert (h["estado"] == "no iniciado").sum() == 15
    assert (h["nivel_irm"] == "sin evidencia").sum() == 14


def test_real_cobertura_de_evidencia_del_compromiso_3(real):
    mh = metricas_hitos(real.hitos, real.avances, date(2025, 6, 30))
    c = metricas_compromisos(real.compromisos, mh).set_index("compromiso").loc[3]
    # 9 avances (4 + 1 + 3 + 1); «Medios de verificación:» siempre vacío; enlaces en 3.2.1, 3.3.2 y 3.3.3.
    assert (c["avances"], c["avances_con_evidencia"]) == (9, 3)
    assert c["cobertura_evidencia"] == pytest.approx(1 / 3)


def test_real_avances_del_primer_trimestre_2025(real):
    mh = metricas_hitos(real.hitos, real.avances, date(2025, 3, 31), inicio_periodo=date(2025, 1, 1))
    c = metricas_compromisos(real.compromisos, mh).set_index("compromiso")
    # Registrados hasta el 31/03/2025: C1 1.2 ×8 + 1.4.1 = 9; C4 ninguno (todo el 13/05);
    # C5 5.2.1 + 5.3 ×9 = 10 (5.4 es del 22/04); C6 6.3.1–6.3.3 = 3 (6.3.4 es del 23/04).
    assert c["avances_periodo"].to_dict() == {1: 9, 2: 3, 3: 8, 4: 0, 5: 10, 6: 3}


# --- compromisos e instituciones ------------------------------------------------------------------


@pytest.fixture(scope="module")
def compromisos_31_marzo(plan):
    mh = metricas_hitos(plan.hitos, plan.avances, date(2025, 3, 31))
    return metricas_compromisos(plan.compromisos, mh).set_index("compromiso")


# --- tablero real -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("corte", "vencidos"),
    [
        # 2.1–2.3 terminan el 31/12/2023: el mismo día no están vencidos.
        (date(2023, 12, 31), []),
        # Al día siguiente lo están los tres (2.3 no tiene avances hasta 2025).
        (date(2024, 1, 1), ["2.1", "2.2", "2.3"]),
        # 2.3 llega a 100 % el 24/02/2025 y deja de estar vencido.
        (date(2025, 2, 24), ["2.1", "2.2"]),
        # 2.4–2.6 terminan el 16/06/2025.
        (date(2025, 6, 16), ["2.1", "2.2"]),
        (date(2025, 6, 17), ["2.1", "2.2", "2.4", "2.5", "2.6"]),
        # 1.1 (30/06/2025), 1.4 («Junio 2025»), 4.1–4.3, 5.1 y 5.4 («Junio 2025») terminan el 30/06.
        (date(2025, 6, 30), ["2.1", "2.2", "2.4", "2.5", "2.6"]),
        # Al 01/07 vencen todos ellos salvo 1.4, completado el 22/05/2025.
        (date(2025, 7, 1), ["1.1", "2.1", "2.2", "2.4", "2.5", "2.6", "4.1", "4.2", "4.3", "5.1", "5.4"]),
    ],
    ids=["fin-2023", "dia-despues-2023", "2.3-completado", "fin-junio-16", "dia-despues-junio-16", "fin-junio-30", "dia-despues-junio-30"],
)
def test_real_hitos_vencidos(real, corte, vencidos):
    h = metricas_hitos(real.hitos, real.avances, corte)
    assert h.loc[h["vencido"], "hito_id"].tolist() == vencidos
