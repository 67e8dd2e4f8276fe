"""Pruebas del valor que fija periodo, corte y criterio (analisis.evaluacion.evaluacion)."""

from __future__ import annotations

from datetime import date

import pytest

from analisis.errores import ErrorParametro
from analisis.evaluacion.evaluacion import Evaluacion


@pytest.mark.parametrize(
    ("periodo", "corte", "esperado"),
    [
        (None, "2025-03-31", ("2025-03-31", None, None)),
        ("2025-S2", None, ("2025-12-31", "2025-07-01", "2025-S2")),
        ("2024", None, ("2024-12-31", "2024-01-01", "2024")),
        ("2025-T2", "2025-05-15", ("2025-05-15", "2025-04-01", "2025-T2")),
    ],
    ids=["solo-corte", "semestre-sin-corte", "anio-sin-corte", "periodo-con-corte"],
)
def test_desde_textos(periodo, corte, esperado):
    ev = Evaluacion.desde_textos(periodo, corte)
    assert (ev.corte.isoformat(), ev.inicio.isoformat() if ev.inicio else None, ev.periodo.etiqueta if ev.periodo else None) == esperado


def test_sin_periodo_ni_corte_es_error():
    with pytest.raises(ErrorParametro, match="falta"):
        Evaluacion.desde_textos(None, None)


def test_corte_anterior_al_periodo_es_error():
    with pytest.raises(ErrorParametro, match="anterior al inicio"):
        Evaluacion.desde_textos("2025-T2", "2025-03-31")


@pytest.mark.parametrize(("dado", "esperado"), [(None, "ultimo"), ("MAXIMO", "maximo"), (" suma ", "suma")], ids=["omision", "mayusculas", "espacios"])
def test_criterio_normalizado(dado, esperado):
    assert Evaluacion(date(2025, 1, 1), dado).criterio == esperado


@pytest.mark.parametrize("dado", ["", "media"], ids=["vacio", "desconocido"])
def test_criterio_invalido_es_error(dado):
    with pytest.raises(ErrorParametro, match="criterio no válido"):
        Evaluacion(date(2025, 1, 1), dado)


def test_anterior_es_el_cierre_del_periodo_previo():
    ev = Evaluacion.desde_textos("2025-T1", criterio="suma").anterior()
    assert (ev.periodo.etiqueta, ev.corte, ev.criterio) == ("2024-T4", date(2024, 12, 31), "suma")


def test_es_inmutable():
    ev = Evaluacion(date(2025, 1, 1))
    with pytest.raises(AttributeError):
        ev.corte = date(2025, 2, 1)


@pytest.mark.parametrize(
    ("periodo", "corte", "mensaje"),
    [
        (None, "2099-01-01", "la fecha de corte 2099-01-01 es posterior a hoy"),
        ("2099-T1", None, "el periodo 2099-T1 aún no termina (su último día es 2099-03-31)"),
    ],
    ids=["corte-futuro", "periodo-sin-terminar"],
)
def test_corte_posterior_a_hoy_es_error(periodo, corte, mensaje):
    with pytest.raises(ErrorParametro, match=mensaje.replace("(", r"\(").replace(")", r"\)")):
        Evaluacion.desde_textos(periodo, corte)


def test_periodo_en_curso_con_corte_hasta_hoy_es_valido():
    hoy = date.today()
    ev = Evaluacion.desde_textos(f"{hoy.year}", hoy.isoformat())
    assert ev.corte == hoy


@pytest.mark.parametrize(
    ("periodo", "corte", "inicio_plan"),
    [("2023-T2", None, date(2023, 6, 1)), (None, "2023-06-01", date(2023, 6, 1)), ("2023-T1", None, None)],
    ids=["periodo-que-alcanza-el-inicio", "corte-el-mismo-dia", "paquete-sin-fechas"],
)
def test_corte_desde_el_inicio_del_plan_es_valido(periodo, corte, inicio_plan):
    Evaluacion.desde_textos(periodo, corte).comprobar_inicio_del_plan(inicio_plan, "paquete")


def test_corte_anterior_al_inicio_del_plan_es_error_que_nombra_el_paquete():
    ev = Evaluacion.desde_textos("2023-T1")
    with pytest.raises(ErrorParametro) as error:
        ev.comprobar_inicio_del_plan(date(2023, 6, 1), "data/processed")
    assert str(error.value) == (
        "data/processed: la fecha de corte 2023-03-31 (periodo 2023-T1) es anterior al inicio del plan "
        "(2023-06-01: primer hito que empieza o primer avance registrado); no hay nada que evaluar"
    )
