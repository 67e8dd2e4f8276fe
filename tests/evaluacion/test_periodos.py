"""Pruebas de periodos y cortes (analisis.evaluacion.periodos).

Los límites de cada periodo se calcularon a mano con el calendario: 2024 es
bisiesto (febrero tiene 29 días), 2025 no.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analisis.errores import AnalisisError, ErrorParametro
from analisis.evaluacion.periodos import (
    inicio_del_plan,
    Periodo,
    avances_al_corte,
    mascara_en_periodo,
    parsear_corte,
    parsear_periodo,
    periodo_anterior,
    periodos_con_datos,
)
from analisis.lectura.fechas import ANIO_MAX, ANIO_MIN


@pytest.mark.parametrize(
    ("texto", "inicio", "fin", "etiqueta"),
    [
        ("2025-T1", date(2025, 1, 1), date(2025, 3, 31), "2025-T1"),
        ("2025-T2", date(2025, 4, 1), date(2025, 6, 30), "2025-T2"),
        ("2025-T4", date(2025, 10, 1), date(2025, 12, 31), "2025-T4"),
        ("2025-S1", date(2025, 1, 1), date(2025, 6, 30), "2025-S1"),
        ("2025-S2", date(2025, 7, 1), date(2025, 12, 31), "2025-S2"),
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("2025-03", date(2025, 3, 1), date(2025, 3, 31), "2025-03"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28), "2025-02"),
        ("2025-t3", date(2025, 7, 1), date(2025, 9, 30), "2025-T3"),
        ("2025-3", date(2025, 3, 1), date(2025, 3, 31), "2025-03"),
        (" 2025-s1 ", date(2025, 1, 1), date(2025, 6, 30), "2025-S1"),
    ],
    ids=[
        "trimestre-1",
        "trimestre-2",
        "trimestre-4",
        "semestre-1",
        "semestre-2",
        "anio",
        "mes",
        "febrero-bisiesto",
        "febrero-comun",
        "minuscula-normalizada",
        "mes-de-una-cifra",
        "espacios-y-minuscula",
    ],
)
def test_parsear_periodo(texto, inicio, fin, etiqueta):
    assert parsear_periodo(texto) == Periodo(inicio, fin, etiqueta)


@pytest.mark.parametrize(
    ("texto", "fragmento"),
    [
        ("2025-T5", "T1 a T4"),
        ("2025-T0", "T1 a T4"),
        ("2025-S3", "S1 o S2"),
        ("2025-13", "01 a 12"),
        ("2025-00", "01 a 12"),
        ("25-T1", "use 2025-T1"),
        ("2025-Q1", "use 2025-T1"),
        ("T1-2025", "use 2025-T1"),
        ("", "periodo vacío"),
        ("primer trimestre", "use 2025-T1"),
    ],
    ids=[
        "trimestre-5",
        "trimestre-0",
        "semestre-3",
        "mes-13",
        "mes-00",
        "anio-de-dos-cifras",
        "q-en-vez-de-t",
        "orden-invertido",
        "vacio",
        "texto-libre",
    ],
)
def test_periodo_mal_formado_es_error_claro(texto, fragmento):
    with pytest.raises(ErrorParametro, match=fragmento):
        parsear_periodo(texto)


def test_error_de_periodo_es_error_previsto_de_la_cli():
    # La CLI captura AnalisisError y sale con estado 2; ErrorParametro debe serlo.
    with pytest.raises(AnalisisError):
        parsear_periodo("2025-T9")


@pytest.mark.parametrize(
    ("actual", "anterior"),
    [
        ("2025-T2", "2025-T1"),
        ("2025-T1", "2024-T4"),
        ("2025-S1", "2024-S2"),
        ("2025-S2", "2025-S1"),
        ("2025", "2024"),
        ("2025-01", "2024-12"),
        ("2024-03", "2024-02"),
    ],
    ids=[
        "trimestre-mismo-anio",
        "trimestre-cruza-anio",
        "semestre-cruza-anio",
        "semestre-mismo-anio",
        "anio",
        "mes-cruza-anio",
        "mes-a-febrero-bisiesto",
    ],
)
def test_periodo_anterior(actual, anterior):
    assert periodo_anterior(parsear_periodo(actual)) == parsear_periodo(anterior)


def test_periodos_con_datos_son_trimestres_ordenados_sin_repetir_ni_vacios():
    fechas = [
        pd.Timestamp("2025-05-13 15:12:33"),
        datetime(2025, 2, 24, 21, 50),
        date(2025, 3, 31),
        pd.NaT,
        None,
        pd.Timestamp("2023-12-31"),
    ]
    # 2023-12-31 → 2023-T4; 24/02 y 31/03 → 2025-T1; 13/05 → 2025-T2. 2024 no tiene datos.
    assert [p.etiqueta for p in periodos_con_datos(fechas)] == ["2023-T4", "2025-T1", "2025-T2"]


def test_periodos_con_datos_de_una_serie_de_pandas():
    serie = pd.Series(pd.to_datetime(["2025-07-01", "2025-09-30 23:59:59"], format="ISO8601"))
    assert periodos_con_datos(serie) == [Periodo(date(2025, 7, 1), date(2025, 9, 30), "2025-T3")]


def test_periodos_con_datos_sin_fechas():
    assert periodos_con_datos([]) == []


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [("2025-03-31", date(2025, 3, 31)), ("2024-02-29", date(2024, 2, 29)), (" 2025-01-01 ", date(2025, 1, 1))],
    ids=["fin-de-trimestre", "bisiesto", "con-espacios"],
)
def test_parsear_corte(texto, esperado):
    assert parsear_corte(texto) == esperado


@pytest.mark.parametrize(
    ("texto", "fragmento"),
    [
        ("2025-02-30", "no existe"),
        ("2025-02-29", "no existe"),
        ("31/03/2025", "AAAA-MM-DD"),
        ("2025-3-31", "AAAA-MM-DD"),
        ("2025-T1", "AAAA-MM-DD"),
        ("", "AAAA-MM-DD"),
    ],
    ids=["30-de-febrero", "29-de-febrero-no-bisiesto", "dia-primero", "mes-de-una-cifra", "periodo", "vacio"],
)
def test_corte_mal_formado_es_error_claro(texto, fragmento):
    with pytest.raises(ErrorParametro, match=fragmento):
        parsear_corte(texto)


def _avances(*registros: str) -> pd.DataFrame:
    return pd.DataFrame({"avance_id": [f"1.1.{i}" for i in range(1, len(registros) + 1)],
                         "fecha_registro": pd.to_datetime(list(registros), format="ISO8601")})


def test_corte_incluye_el_dia_entero():
    avances = _avances("2025-03-31 00:00:00", "2025-03-31 23:59:59", "2025-04-01 00:00:00")
    # Las dos del 31 de marzo cuentan; la medianoche del 1 de abril ya es del día siguiente.
    assert avances_al_corte(avances, date(2025, 3, 31))["avance_id"].tolist() == ["1.1.1", "1.1.2"]


def test_corte_acepta_un_timestamp_y_descarta_su_hora():
    avances = _avances("2025-03-31 23:59:59")
    # Un corte dado como Timestamp a las 08:00 sigue siendo el día entero.
    assert len(avances_al_corte(avances, pd.Timestamp("2025-03-31 08:00"))) == 1


def test_periodo_es_cerrado_en_ambos_extremos():
    avances = _avances("2024-12-31 23:59:59", "2025-01-01 00:00:00", "2025-03-31 23:59:59", "2025-04-01 00:00:00")
    dentro = mascara_en_periodo(avances["fecha_registro"], date(2025, 1, 1), date(2025, 3, 31))
    assert dentro.tolist() == [False, True, True, False]


def test_periodo_sin_inicio_abarca_todo_hasta_el_corte():
    avances = _avances("2020-01-01", "2025-03-31 12:00", "2025-04-01")
    assert mascara_en_periodo(avances["fecha_registro"], None, date(2025, 3, 31)).tolist() == [True, True, False]


# --- propiedades -------------------------------------------------------------------------

# Los años admitidos en un periodo (fechas.ANIO_MIN..ANIO_MAX).
_anios = st.integers(ANIO_MIN, ANIO_MAX)
_periodos = st.one_of(
    st.tuples(_anios, st.integers(1, 4)).map(lambda t: f"{t[0]}-T{t[1]}"),
    st.tuples(_anios, st.integers(1, 2)).map(lambda t: f"{t[0]}-S{t[1]}"),
    st.tuples(_anios, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    _anios.map(str),
)


@given(_periodos)
def test_la_etiqueta_se_vuelve_a_leer_igual(texto):
    p = parsear_periodo(texto)
    assert parsear_periodo(p.etiqueta) == p
    assert p.etiqueta == texto


@given(_periodos)
def test_el_periodo_anterior_termina_el_dia_antes(texto):
    p = parsear_periodo(texto)
    anterior = periodo_anterior(p)
    assert (p.inicio - anterior.fin).days == 1
    assert anterior.granularidad == p.granularidad


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 12, 31)))
def test_cada_dia_esta_en_su_trimestre(dia):
    (p,) = periodos_con_datos([dia])
    assert p.contiene(dia)
    assert p.granularidad == "trimestre"


@pytest.mark.parametrize(
    ("inicios", "registros", "esperado"),
    [
        (["2023-06-01", "", "2024-01-01"], ["2025-02-24T15:12:57"], date(2023, 6, 1)),
        (["2024-01-01"], ["2023-12-05T10:00:00", ""], date(2023, 12, 5)),
        (["", None], [float("nan")], None),
    ],
    ids=["primer-hito", "avance-antes-que-todo-hito", "sin-fechas"],
)
def test_inicio_del_plan(inicios, registros, esperado):
    assert inicio_del_plan(inicios, registros) == esperado
