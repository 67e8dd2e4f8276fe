"""Fechas del tablero: los formatos admitidos, el rango de años y los dígitos (fechas.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analisis.errores import AnalisisError, ErrorFecha
from analisis.lectura.fechas import (
    ANIO_MAX,
    ANIO_MIN,
    PRECISION_ANIO,
    PRECISION_DIA,
    PRECISION_MES,
    fecha_registro_iso,
    parsear_fecha_hito,
    parsear_fecha_registro,
)


@pytest.mark.parametrize(
    "texto,extremo,esperado,precision",
    [
        ("06/02/2025", "inicio", date(2025, 2, 6), PRECISION_DIA),
        ("1/3/2024", "fin", date(2024, 3, 1), PRECISION_DIA),
        ("15 de enero de 2024", "inicio", date(2024, 1, 15), PRECISION_DIA),
        ("15 DE ENERO DEL 2024", "inicio", date(2024, 1, 15), PRECISION_DIA),
        ("Junio 2025", "fin", date(2025, 6, 30), PRECISION_MES),
        ("setiembre de 2024", "inicio", date(2024, 9, 1), PRECISION_MES),
        ("Febrero 2024", "fin", date(2024, 2, 29), PRECISION_MES),
        ("2024", "fin", date(2024, 12, 31), PRECISION_ANIO),
        ("  Junio   2023 ", "inicio", date(2023, 6, 1), PRECISION_MES),
    ],
    ids=["dia-mes-anio", "sin-ceros", "larga", "larga-mayusculas", "mes-fin", "setiembre", "bisiesto", "anio", "blancos"],
)
def test_formatos_de_hito(texto, extremo, esperado, precision):
    fecha = parsear_fecha_hito(texto, extremo)
    assert (fecha.fecha, fecha.precision) == (esperado, precision)


@pytest.mark.parametrize(
    "texto,esperado",
    [
        ("2025-03-05 02:48:19", datetime(2025, 3, 5, 2, 48, 19)),
        ("05/03/2025", datetime(2025, 3, 5)),
        ("2025-03-05 2:48", datetime(2025, 3, 5, 2, 48)),
    ],
    ids=["canonica", "sin-hora", "hora-corta"],
)
def test_formatos_de_registro(texto, esperado):
    assert parsear_fecha_registro(texto) == esperado


@pytest.mark.parametrize(
    "texto,esperado",
    [
        ("2025-03-05 02:48:19", "2025-03-05T02:48:19"),
        ("2024-02-29 23:59:59", "2024-02-29T23:59:59"),
        ("05/03/2025", "2025-03-05T00:00:00"),
        ("2025-03-05 2:48", "2025-03-05T02:48:00"),
    ],
    ids=["canonica", "canonica-bisiesto", "sin-hora", "hora-corta"],
)
def test_fecha_de_registro_en_iso(texto, esperado):
    assert fecha_registro_iso(texto) == esperado


@pytest.mark.parametrize(
    "texto,motivo",
    [
        ("2025-02-29 10:00:00", "no existe en el calendario"),
        ("2025-03-05 10:60:00", "hora imposible"),
        ("2100-01-01 00:00:00", "fuera del rango admitido"),
    ],
    ids=["no-bisiesto", "minuto-60", "anio-2100"],
)
def test_fecha_de_registro_en_iso_invalida(texto, motivo):
    with pytest.raises(ErrorFecha, match=motivo):
        fecha_registro_iso(texto)


@pytest.mark.parametrize(
    "texto,motivo",
    [
        ("2025-02-30 10:00:00", "no existe en el calendario"),
        ("2025-03-05 24:00:00", "hora imposible"),
        ("0000-01-01 00:00:00", "fuera del rango admitido"),
        ("2100-01-01 00:00:00", "fuera del rango admitido"),
        ("２０２５-03-05 02:48:19", "dígitos que no son 0-9"),
        ("Junio 2025", "debe indicar el día"),
    ],
    ids=["dia-imposible", "hora-24", "anio-0000", "anio-2100", "ancho-completo", "sin-dia"],
)
def test_registro_invalido(texto, motivo):
    with pytest.raises(ErrorFecha, match=motivo) as info:
        parsear_fecha_registro(texto)
    assert info.value.texto == texto


@pytest.mark.parametrize("anio", [ANIO_MIN, ANIO_MAX])
def test_extremos_del_rango_se_aceptan(anio):
    assert parsear_fecha_hito(f"31/12/{anio}", "fin").fecha == date(anio, 12, 31)


# --- propiedades: cualquier texto se convierte o da ErrorFecha --------------------------

_piezas = st.sampled_from(
    ["0000", "9999", "2025", "31", "02", "/", "-", " ", "de", "junio", "Junio", "del", ":", "２", "٣", "setiembre", "\u00a0"]
)
_textos = st.one_of(st.text(max_size=30), st.lists(_piezas, max_size=8).map("".join))


@settings(max_examples=400, deadline=None)
@given(_textos, st.sampled_from(["inicio", "fin"]))
def test_fecha_de_hito_se_convierte_o_da_error_del_paquete(texto, extremo):
    try:
        fecha = parsear_fecha_hito(texto, extremo)
    except AnalisisError:
        return
    assert ANIO_MIN <= fecha.fecha.year <= ANIO_MAX


@settings(max_examples=400, deadline=None)
@given(_textos)
def test_fecha_de_registro_se_convierte_o_da_error_del_paquete(texto):
    try:
        momento = parsear_fecha_registro(texto)
    except AnalisisError:
        return
    assert ANIO_MIN <= momento.year <= ANIO_MAX


_registros = st.one_of(
    _textos,
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2110, 12, 31)).map(lambda m: m.strftime("%Y-%m-%d %H:%M:%S")),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", fullmatch=True),
)


@settings(max_examples=400, deadline=None)
@given(_registros)
def test_fecha_de_registro_en_iso_es_la_de_parsear(texto):
    """El atajo de la forma canónica da lo mismo que parsear y convertir, o el mismo error."""
    try:
        esperado = parsear_fecha_registro(texto).isoformat()
    except ErrorFecha as exc:
        with pytest.raises(ErrorFecha) as info:
            fecha_registro_iso(texto)
        assert (info.value.motivo, info.value.texto) == (exc.motivo, exc.texto)
    else:
        assert fecha_registro_iso(texto) == esperado


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(ANIO_MIN, 1, 1), max_value=date(ANIO_MAX, 12, 31)))
def test_fecha_escrita_se_lee_igual(dia):
    assert parsear_fecha_hito(f"{dia.day}/{dia.month}/{dia.year}", "inicio").fecha == dia
    assert parsear_fecha_registro(f"{dia.isoformat()} 10:20:30") == datetime(dia.year, dia.month, dia.day, 10, 20, 30)
