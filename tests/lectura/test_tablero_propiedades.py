"""Pruebas de propiedades (hypothesis) del analizador.

1. Cualquier entrada se analiza o produce el error documentado (ErrorEntrada):
   nunca otra excepción.
2. Un tablero generado a partir de registros aleatorios se lee de vuelta con
   exactamente esos registros (ida y vuelta).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analisis.errores import ErrorEntrada
from analisis.lectura.fechas import ANIO_MAX, ANIO_MIN
from analisis.lectura.tablero import parsear_bytes, parsear_texto

ETIQUETAS = [
    "COMPROMISO 1:", "COMPROMISO 2:", "INSTITUCIÓN RESPONSABLE:", "DESCRIPCIÓN:", "AVANCES",
    "Fecha: 2025-02-03 04:05:06", "Porcentaje avance: 40%", "Medios de verificación:", "GOBIERNO", "OSC",
    "PORCENTAJE DE AVANCE:", "50.00%", "FECHA DE FIN: Junio 2025", "FECHA DE INICIO: 31/02/2025",
    "HITOS NO INICIADOS19", "8", "texto libre", "",
]


@pytest.mark.filterwarnings("ignore::analisis.errores.AvisoCodificacion")  # bytes al azar: a veces Windows-1252
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_bytes_arbitrarios_se_analizan_o_dan_error_documentado(datos):
    try:
        parsear_bytes(datos, "azar.bin")
    except ErrorEntrada as exc:
        assert str(exc).startswith("azar.bin")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(ETIQUETAS), st.text(max_size=30)), max_size=40))
def test_mezclas_de_etiquetas_se_analizan_o_dan_error_documentado(lineas):
    try:
        t = parsear_texto("\n".join(lineas), "mezcla.txt")
    except ErrorEntrada as exc:
        assert str(exc).startswith("mezcla.txt")
    else:
        # Si se aceptó, cada línea no vacía quedó asignada a un campo.
        partes = re.split(r"\r\n|\r|\n", "\n".join(lineas))
        assert set(t.origen_lineas) == {i for i, l in enumerate(partes, 1) if l.strip()}


# Texto libre que no se confunde con una etiqueta: empieza por una letra que
# ninguna etiqueta usa y no contiene saltos de línea.
palabra = st.text(alphabet="xyzñáéü ", min_size=1, max_size=12).map(lambda s: "x" + s.strip())
texto = st.lists(palabra, min_size=1, max_size=3).map(lambda ps: "\n".join(ps))
porcentaje = st.integers(min_value=0, max_value=1000).map(lambda n: n / 10)
# Los años admitidos (fechas.ANIO_MIN..ANIO_MAX); fuera de ellos la fecha es un error.
fecha = st.dates(min_value=date(ANIO_MIN, 1, 1), max_value=date(ANIO_MAX, 12, 31))


@st.composite
def tablero(draw):
    compromisos = []
    for n in range(1, draw(st.integers(1, 3)) + 1):
        hitos = []
        for _ in range(draw(st.integers(0, 3))):
            avances = [
                (draw(fecha), draw(texto), draw(st.one_of(st.none(), porcentaje)))
                for _ in range(draw(st.integers(0, 3)))
            ]
            hitos.append((draw(palabra), draw(st.one_of(st.none(), fecha)), draw(texto), avances))
        compromisos.append((n, draw(texto), draw(st.one_of(st.none(), porcentaje)), draw(st.lists(palabra, max_size=3)), hitos))
    return compromisos


def _renderizar(compromisos) -> str:
    lineas = []
    for n, titulo, pct, osc, hitos in compromisos:
        lineas += [f"COMPROMISO {n}:", titulo]
        if pct is not None:
            lineas += ["PORCENTAJE DE AVANCE:", f"{pct:.2f}%"]
        if osc:
            lineas += ["OSC", *osc]
        for institucion, fin, descripcion, avances in hitos:
            lineas += ["INSTITUCIÓN RESPONSABLE:", institucion]
            if fin is not None:
                lineas.append(f"FECHA DE FIN: {fin.day:02d}/{fin.month:02d}/{fin.year:04d}")
            lineas += ["DESCRIPCIÓN:", descripcion, "AVANCES"]
            for registro, desc, pct_a in avances:
                lineas += [f"Fecha: {registro.isoformat()} 10:00:00", f"Descripción: {desc}"]
                if pct_a is not None:
                    lineas.append(f"Porcentaje avance: {pct_a}%".replace(".", ","))
    return "\n".join(lineas) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tablero())
def test_ida_y_vuelta(compromisos):
    t = parsear_texto(_renderizar(compromisos), "generado.txt")
    assert [c["compromiso"] for c in t.compromisos] == [c[0] for c in compromisos]
    assert [c["titulo"] for c in t.compromisos] == [c[1] for c in compromisos]
    assert [c.get("porcentaje_reportado") for c in t.compromisos] == [
        None if c[2] is None else round(c[2], 2) for c in compromisos
    ]
    assert [a["nombre"] for a in t.actores] == [o for c in compromisos for o in c[3]]
    hitos = [h for c in compromisos for h in c[4]]
    assert [h["institucion"] for h in t.hitos] == [h[0] for h in hitos]
    assert [h.get("fecha_fin") for h in t.hitos] == [None if h[1] is None else h[1].isoformat() for h in hitos]
    assert [h["descripcion"] for h in t.hitos] == [h[2] for h in hitos]
    avances = [a for h in hitos for a in h[3]]
    assert [a["fecha_registro"][:10] for a in t.avances] == [a[0].isoformat() for a in avances]
    assert [a["descripcion"] for a in t.avances] == [a[1] for a in avances]
    assert [a.get("porcentaje") for a in t.avances] == [a[2] for a in avances]
