"""Pruebas del rezago de reporte (analisis.evaluacion.rezago).

Las diferencias en días se contaron a mano mes a mes; por ejemplo, del
15/10/2024 al 05/03/2025: 16 (resto de octubre) + 30 + 31 + 31 + 28 + 5 = 141.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest

from analisis.lectura.paquete import tablas_desde_tablero
from analisis.evaluacion.metricas import metricas_hitos
from analisis.evaluacion.rezago import (
    COLUMNAS_MENCIONES,
    COLUMNAS_REZAGO_HITOS,
    COLUMNAS_REZAGO_INSTITUCIONES,
    extraer_fechas,
    menciones_fechas,
    rezago_por_avance,
    rezago_por_hito,
    rezago_por_institucion,
)
from analisis.lectura.tablero import parsear_archivo, parsear_texto

CRUDO = Path(__file__).parents[2] / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"


@pytest.mark.parametrize(
    ("texto", "registro", "fecha", "anio", "precision"),
    [
        ("llevó a cabo el 15 de octubre, el proceso", date(2025, 3, 5), date(2024, 10, 15), "inferido", "dia"),
        ("desarrollo el 06 de noviembre el proceso", date(2025, 3, 5), date(2024, 11, 6), "inferido", "dia"),
        ("realizada el 29 de febrero del 2024 en la Ciudad", date(2025, 5, 13), date(2024, 2, 29), "explicito", "dia"),
        ("Congreso de la República 22 de Septiembre. Aumento", date(2025, 4, 22), date(2024, 9, 22), "inferido", "dia"),
        ("el día 12 de diciembre del año en curso, con la", date(2025, 2, 27), date(2025, 12, 12), "en curso", "dia"),
        ("En el mes de agosto 2023 no hubieron postulados", date(2025, 2, 28), date(2023, 8, 31), "explicito", "mes"),
        # El mismo día del registro no es posterior: se queda en el año del registro.
        ("taller del 5 de marzo", date(2025, 3, 5), date(2025, 3, 5), "inferido", "dia"),
        # Un día después del registro ya es del año anterior.
        ("taller del 6 de marzo", date(2025, 3, 5), date(2024, 3, 6), "inferido", "dia"),
        # El 29 de febrero sin año retrocede hasta el último bisiesto no posterior: 2020.
        ("el 29 de febrero", date(2024, 2, 28), date(2020, 2, 29), "inferido", "dia"),
        ("el 1 de setiembre de 2024", date(2025, 1, 1), date(2024, 9, 1), "explicito", "dia"),
        ("el 15 de enero del año 2024", date(2025, 1, 1), date(2024, 1, 15), "explicito", "dia"),
        ("el 3 de mayo del presente año", date(2025, 6, 1), date(2025, 5, 3), "en curso", "dia"),
        ("EL 3 DE MAYO DE 2025", date(2025, 6, 1), date(2025, 5, 3), "explicito", "dia"),
        ("el 1º de mayo de 2025", date(2025, 6, 1), date(2025, 5, 1), "explicito", "dia"),
    ],
    ids=[
        "sin-anio-octubre",
        "cero-inicial",
        "bisiesto-con-anio",
        "mes-con-mayuscula",
        "anio-en-curso",
        "mes-con-anio",
        "mismo-dia",
        "dia-siguiente-anio-anterior",
        "29-febrero-sin-anio",
        "setiembre",
        "del-anio-2024",
        "presente-anio",
        "mayusculas",
        "ordinal",
    ],
)
def test_extraer_una_fecha(texto, registro, fecha, anio, precision):
    (m,) = extraer_fechas(texto, registro)
    assert (m.fecha, m.anio, m.precision) == (fecha, anio, precision)


@pytest.mark.parametrize(
    "texto",
    [
        "del 31 de febrero",
        "el 31 de febrero de 2024",
        "Compromiso 1 del 6o. Plan Nacional",
        "En los meses de enero a abril no hubieron postulados",
        "En el mes de agosto no hubo",
        "Plan de Acción 2023-2025",
        "5 sub oficinas regionales",
        "",
    ],
    ids=["dia-imposible", "dia-imposible-con-anio", "ordinal-sin-mes", "meses-sin-anio", "mes-sin-anio", "rango-de-anios", "numero-suelto", "vacio"],
)
def test_textos_sin_fecha_de_hecho(texto):
    assert extraer_fechas(texto, date(2025, 3, 1)) == []


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("En los meses de diciembre 2024 y enero 2025 no hubieron postulados", [date(2024, 12, 31), date(2025, 1, 31)]),
        ("actividades de marzo de 2025", [date(2025, 3, 31)]),
        ("durante el mes de enero del año 2025", [date(2025, 1, 31)]),
        ("el 15 de octubre de 2024", [date(2024, 10, 15)]),
    ],
    ids=["dos-meses-con-anio", "mes-de-anio", "mes-del-anio", "dia-con-anio-no-cuenta-su-mes"],
)
def test_meses_con_anio_sin_dia(texto, esperado):
    assert [m.fecha for m in extraer_fechas(texto, date(2025, 4, 1))] == esperado


def test_fragmento_conserva_la_escritura_original():
    (m,) = extraer_fechas("reunión del 22 de Septiembre", date(2025, 4, 22))
    assert m.fragmento == "22 de Septiembre"


def test_varias_menciones_en_orden_de_aparicion():
    menciones = extraer_fechas("talleres del 30 de octubre del 2024 y del 2 de octubre del 2024", date(2025, 5, 13))
    assert [m.fecha for m in menciones] == [date(2024, 10, 30), date(2024, 10, 2)]


def test_registro_con_hora():
    (m,) = extraer_fechas("el 15 de octubre", datetime(2025, 3, 5, 2, 48, 19))
    # 16 + 30 + 31 + 31 + 28 + 5 = 141.
    assert m.rezago(date(2025, 3, 5)) == 141


@pytest.mark.parametrize(
    ("registro", "rezago"),
    [(date(2023, 8, 15), 0), (date(2023, 9, 2), 2), (date(2023, 7, 31), -1)],
    ids=["dentro-del-mes", "despues-del-mes", "antes-del-mes"],
)
def test_rezago_de_una_mencion_de_mes(registro, rezago):
    # «mes de agosto 2023» se mide desde el 31/08: dentro de agosto el rezago es 0.
    (m,) = extraer_fechas("En el mes de agosto 2023", date(2025, 1, 1))
    assert m.rezago(registro) == rezago


# --- tablas ----------------------------------------------------------------------------------

_TEXTO = (
    "COMPROMISO 1:\nX\n"
    "INSTITUCIÓN RESPONSABLE:\nComisión de Gobierno Abierto y Electrónico\nAVANCES\n"  # hito 1.1
    "Fecha: 2025-03-05 02:48:19\nDescripción: Taller el 15 de octubre y seguimiento el 06 de noviembre\nPorcentaje avance: 10%\n"
    "Fecha: 2025-03-05 03:00:00\nDescripción: Sin fecha\nPorcentaje avance: 20%\n"
    "Fecha: 2025-04-01 10:00:00\nDescripción: Informe\nPorcentaje avance: 30%\nMedios de verificación:\nActa del 20 de marzo\n"
    "INSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\n"  # hito 1.2, misma institución
    "Fecha: 2025-02-27 17:35:59\nDescripción: Reunión del 12 de diciembre del año en curso\nPorcentaje avance: 5%\n"
    "Fecha: 2025-02-27 18:00:00\nDescripción: Reunión del 17 de febrero\nPorcentaje avance: 5%\n"
    "INSTITUCIÓN RESPONSABLE:\nMinisterio de Educación\nAVANCES\n"  # hito 1.3 sin avances
)


@pytest.fixture(scope="module")
def ejemplo():
    return tablas_desde_tablero(parsear_texto(_TEXTO))


def test_menciones_por_avance_y_campo(ejemplo):
    tabla = menciones_fechas(ejemplo.avances)
    assert tabla.columns.tolist() == COLUMNAS_MENCIONES
    # 1.1.1: 15/10/2024 (141 días) y 06/11/2024 (24 + 31 + 31 + 28 + 5 = 119).
    # 1.1.3: «20 de marzo» en los medios, registro 01/04/2025 → 12 días.
    # 1.2.1: 12/12/2025, 288 días después (posterior). 1.2.2: 17/02/2025 → 10 días.
    filas = list(zip(tabla["avance_id"], tabla["rezago_dias"], tabla["posterior_al_registro"]))
    assert filas == [("1.1.1", 141, False), ("1.1.1", 119, False), ("1.1.3", 12, False), ("1.2.1", -288, True), ("1.2.2", 10, False)]


def test_menciones_respetan_el_corte(ejemplo):
    # Al 31/03/2025 aún no existe 1.1.3 (01/04).
    assert "1.1.3" not in menciones_fechas(ejemplo.avances, date(2025, 3, 31))["avance_id"].tolist()


def test_rezago_de_un_avance_es_el_de_su_hecho_mas_reciente(ejemplo):
    por_avance = rezago_por_avance(menciones_fechas(ejemplo.avances))
    # 1.1.1 menciona hechos a 141 y 119 días: el más reciente, 119. 1.2.1 solo tiene uno posterior: fuera.
    assert por_avance.to_dict() == {"1.1.1": 119, "1.1.3": 12, "1.2.2": 10}


def test_rezago_por_hito(ejemplo):
    corte = date(2025, 6, 30)
    mh = metricas_hitos(ejemplo.hitos, ejemplo.avances, corte)
    tabla = rezago_por_hito(menciones_fechas(ejemplo.avances, corte), mh)
    assert tabla.columns.tolist() == COLUMNAS_REZAGO_HITOS
    # 1.3 no tiene avances: no aparece.
    assert tabla["hito_id"].tolist() == ["1.1", "1.2"]
    h11, h12 = tabla.iloc[0], tabla.iloc[1]
    # 1.1: 3 avances, 2 con fecha (119 y 12): mínimo 12, mediana y media 65.5, máximo 119.
    assert (h11["avances"], h11["avances_con_fecha"], h11["menciones"], h11["menciones_posteriores"]) == (3, 2, 3, 0)
    assert (h11["rezago_minimo"], h11["rezago_mediana"], h11["rezago_medio"], h11["rezago_maximo"]) == (12, 65.5, 65.5, 119)
    # 1.2: la mención posterior se cuenta pero no entra; queda solo 10.
    assert (h12["avances_con_fecha"], h12["menciones"], h12["menciones_posteriores"], h12["rezago_mediana"]) == (1, 2, 1, 10)


def test_rezago_por_institucion_normalizada(ejemplo):
    corte = date(2025, 6, 30)
    mh = metricas_hitos(ejemplo.hitos, ejemplo.avances, corte)
    tabla = rezago_por_institucion(menciones_fechas(ejemplo.avances, corte), mh)
    assert tabla.columns.tolist() == COLUMNAS_REZAGO_INSTITUCIONES
    # «Comisión de Gobierno Abierto y Electrónico» y «GAE» son la misma; MINEDUC no tiene avances.
    (fila,) = tabla.itertuples()
    assert (fila.institucion, fila.hitos, fila.avances, fila.avances_con_fecha) == (
        "Comisión Presidencial de Gobierno Abierto y Electrónico",
        2,
        5,
        3,
    )
    # Rezagos por avance 119, 12 y 10: mediana 12, media 141 / 3 = 47.
    assert (fila.rezago_minimo, fila.rezago_mediana, fila.rezago_medio, fila.rezago_maximo) == (10, 12, 47, 119)


def test_hito_con_avances_sin_fechas_tiene_resumen_vacio():
    tablas = tablas_desde_tablero(parsear_texto("COMPROMISO 1:\nX\nINSTITUCIÓN RESPONSABLE:\nGAE\nAVANCES\nFecha: 2025-01-01 10:00:00\nDescripción: Sin fechas\n"))
    mh = metricas_hitos(tablas.hitos, tablas.avances, date(2025, 1, 31))
    fila = rezago_por_hito(menciones_fechas(tablas.avances), mh).iloc[0]
    assert (fila["avances"], fila["avances_con_fecha"], fila["menciones"]) == (1, 0, 0)
    assert math.isnan(fila["rezago_mediana"])


# --- tablero real -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    return tablas_desde_tablero(parsear_archivo(CRUDO))


def test_real_menciones(real):
    tabla = menciones_fechas(real.avances).set_index("avance_id")
    esperado = {
        # GAE, registrados el 05/03/2025, años inferidos.
        "1.2.1": ("15 de octubre", "2024-10-15", 141),
        "1.2.2": ("17 de octubre", "2024-10-17", 139),
        "1.2.4": ("06 de noviembre", "2024-11-06", 119),
        "1.2.5": ("06 de noviembre", "2024-11-06", 119),
        # MSPAS, registrado el 27/02/2025: «año en curso» = 2025.
        "3.3.1": ("12 de diciembre del año en curso", "2025-12-12", -288),
        # CONAMIGUA, todos registrados el 13/05/2025. 29/02/2024 → 1 + 365 + 31 + 30 + 12 = 439.
        "4.1.1": ("29 de febrero del 2024", "2024-02-29", 439),
        "4.1.2": ("25 de julio del 2024", "2024-07-25", 292),
        "4.1.3": ("02 de octubre del 2024", "2024-10-02", 223),
        "4.1.4": ("30 de octubre del 2024", "2024-10-30", 195),
        "4.1.5": ("22 de noviembre del 2024", "2024-11-22", 172),
        "4.1.6": ("06 de marzo del 2025", "2025-03-06", 68),
        # SEPREM, 22/04/2025: 8 + 31 + 30 + 31 + 31 + 28 + 31 + 22 = 212.
        "5.4.1": ("22 de Septiembre", "2024-09-22", 212),
        # MINTRAB, 28/02/2025 desde el 31/08/2023: 366 (hasta 31/08/2024, con el 29/02) + 181 = 547.
        "6.3.1": [("mes de agosto 2023", "2023-08-31", 547)],
        # Mismo hito, 28/02/2025: «En los meses de diciembre 2024 y enero 2025»,
        # dos meses, cada uno medido desde su último día (31/12: 59; 31/01: 28).
        "6.3.3": [("meses de diciembre 2024", "2024-12-31", 59), ("enero 2025", "2025-01-31", 28)],
        # 23/04/2025: «febrero 2025 y marzo 2025» (28/02: 54; 31/03: 23).
        "6.3.4": [("meses de febrero 2025", "2025-02-28", 54), ("marzo 2025", "2025-03-31", 23)],
    }
    esperado = {i: v if isinstance(v, list) else [v] for i, v in esperado.items()}
    obtenido: dict[str, list] = {}
    for i, f in tabla.iterrows():
        obtenido.setdefault(i, []).append((f.fragmento, f.fecha_evento.strftime("%Y-%m-%d"), f.rezago_dias))
    assert obtenido == esperado


def test_real_rezago_por_institucion(real):
    corte = date(2025, 6, 30)
    mh = metricas_hitos(real.hitos, real.avances, corte)
    tabla = rezago_por_institucion(menciones_fechas(real.avances, corte), mh).set_index("institucion")
    gae = tabla.loc["Comisión Presidencial de Gobierno Abierto y Electrónico"]
    # 119, 119, 139, 141: mediana (119 + 139) / 2 = 129, media 518 / 4 = 129.5.
    assert (gae["avances"], gae["avances_con_fecha"], gae["rezago_minimo"], gae["rezago_mediana"], gae["rezago_medio"], gae["rezago_maximo"]) == (
        8, 4, 119, 129, 129.5, 141,
    )
    conamigua = tabla.loc["Consejo Nacional de Atención al Migrante de Guatemala"]
    # 68, 172, 195, 223, 292, 439: mediana (195 + 223) / 2 = 209, media 1389 / 6 = 231.5.
    assert (conamigua["rezago_mediana"], conamigua["rezago_medio"]) == (209, 231.5)
    mspas = tabla.loc["Ministerio de Salud Pública y Asistencia Social"]
    assert (mspas["menciones"], mspas["menciones_posteriores"], mspas["avances_con_fecha"]) == (1, 1, 0)
    assert math.isnan(mspas["rezago_mediana"])
