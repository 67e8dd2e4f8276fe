"""Pruebas de la participación de la sociedad civil (analisis.evaluacion.participacion).

Ejemplo (``tests/fixtures/metricas/plan.txt``): el compromiso 1 tiene en OSC
«Red Ciudadana; Acción Ciudadana» (una línea, dos organizaciones), en OTROS
«CoST- Guatemala» y en GOBIERNO la GAE; el 2 tiene en OSC «red ciudadana»
(en minúsculas) y en GOBIERNO la DEMI.
"""

from __future__ import annotations


import pandas as pd
import pytest

from analisis.evaluacion.participacion import (
    COLUMNAS_COMPROMISOS,
    COLUMNAS_ORGANIZACIONES,
    clave_organizacion,
    participacion_compromisos,
    participacion_organizaciones,
)


def _actores(*filas):
    """Filas (compromiso, sector, nombre); la línea es el orden de la lista."""
    return pd.DataFrame(
        [{"compromiso": c, "sector": s, "nombre": n, "linea": i} for i, (c, s, n) in enumerate(filas, start=1)]
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Alas de Mariposas", "Alas de mariposas"),
        ("Diálogos", "DIALOGOS"),
        ("Red  ciudadana ", "Red ciudadana"),
        ("CoST- Guatemala", "CoST - Guatemala"),
        ("Majawil q’ij", "Majawil q'ij"),
        ("Techo.", "Techo"),
    ],
    ids=["mayusculas", "tildes", "espacios", "guion", "apostrofo-tipografico", "punto-final"],
)
def test_misma_clave(a, b):
    assert clave_organizacion(a) == clave_organizacion(b)


def test_nombres_distintos_no_se_confunden():
    assert clave_organizacion("FLACSO") != clave_organizacion("FLACSO y Cruz Roja")


def test_compromisos_del_ejemplo(plan):
    tabla = participacion_compromisos(plan.actores, plan.compromisos)
    assert tabla.columns.tolist() == COLUMNAS_COMPROMISOS
    assert tabla.to_dict("records") == [
        {
            "compromiso": 1,
            "organizaciones_osc": 2,
            "organizaciones_otros": 1,
            "instituciones_gobierno": 1,
            "nombres_osc": "Red Ciudadana; Acción Ciudadana",
            "nombres_otros": "CoST- Guatemala",
        },
        {
            # «red ciudadana» se muestra con la escritura del compromiso 1 (empate: la primera).
            "compromiso": 2,
            "organizaciones_osc": 1,
            "organizaciones_otros": 0,
            "instituciones_gobierno": 1,
            "nombres_osc": "Red Ciudadana",
            "nombres_otros": "",
        },
    ]


def test_organizaciones_del_ejemplo(plan):
    tabla = participacion_organizaciones(plan.actores)
    assert tabla.columns.tolist() == COLUMNAS_ORGANIZACIONES
    # Red Ciudadana está en 1 y 2; las demás en uno solo, por orden alfabético sin tildes.
    # Las instituciones de gobierno no se listan.
    assert tabla.values.tolist() == [
        ["Red Ciudadana", "OSC", 2, "1; 2"],
        ["Acción Ciudadana", "OSC", 1, "1"],
        ["CoST- Guatemala", "OTROS", 1, "1"],
    ]


def test_compromiso_sin_actores_aparece_con_ceros(plan):
    compromisos = pd.DataFrame({"compromiso": [1, 2, 3]})
    fila = participacion_compromisos(plan.actores, compromisos).iloc[-1]
    assert (fila["compromiso"], fila["organizaciones_osc"], fila["nombres_osc"]) == (3, 0, "")


def test_organizacion_repetida_en_un_compromiso_cuenta_una_vez():
    actores = _actores((1, "OSC", "ICEFI"), (1, "OSC", "Icefi"))
    assert participacion_compromisos(actores)["organizaciones_osc"].tolist() == [1]
    assert participacion_organizaciones(actores)["compromisos"].tolist() == [1]


def test_escritura_mas_frecuente_gana():
    actores = _actores((1, "OSC", "techo"), (2, "OSC", "Techo"), (3, "OSC", "Techo"))
    assert participacion_organizaciones(actores)["organizacion"].tolist() == ["Techo"]


def test_organizacion_en_dos_sectores():
    actores = _actores((1, "OSC", "CoST Guatemala"), (2, "OTROS", "CoST Guatemala"))
    fila = participacion_organizaciones(actores).iloc[0]
    assert (fila["sectores"], fila["compromisos"]) == ("OSC; OTROS", 2)


def test_sin_actores():
    vacio = pd.DataFrame(
        {
            "compromiso": pd.Series([], dtype="int64"),
            "sector": pd.Series([], dtype="str"),
            "nombre": pd.Series([], dtype="str"),
            "linea": pd.Series([], dtype="int64"),
        }
    )
    assert participacion_organizaciones(vacio).empty
    assert participacion_compromisos(vacio).empty


# --- tablero real --------------------------------------------------------------------------------


def test_real_organizaciones_mas_presentes(real):
    tabla = participacion_organizaciones(real.actores).set_index("organizacion")
    # Funprosperiti figura en OSC de los seis compromisos; CIIDH en todos menos el 3.
    assert tabla.at["Funprosperiti", "lista_compromisos"] == "1; 2; 3; 4; 5; 6"
    assert tabla.at["CIIDH", "lista_compromisos"] == "1; 2; 4; 5; 6"
    # «Alas de Mariposas» (compromiso 4) y «Alas de mariposas» (5) son una.
    assert tabla.at["Alas de Mariposas", "compromisos"] == 2
    assert "Alas de mariposas" not in tabla.index
    # «CEIDEPAZ; GGM» del compromiso 4 son dos organizaciones.
    assert tabla.at["CEIDEPAZ", "lista_compromisos"] == "4; 6"
    assert tabla.at["GGM", "lista_compromisos"] == "1; 4; 5"
    # 37 nombres distintos fuera de gobierno (36 OSC + CoST en OTROS), contados a mano.
    assert len(tabla) == 37


def test_real_compromisos(real):
    tabla = participacion_compromisos(real.actores, real.compromisos).set_index("compromiso")
    # OSC por compromiso contadas en el archivo: 14, 6, 10, 15 (14 líneas; «FLACSO y Cruz Roja»
    # son dos), 17 («Ixoq’ib’ Miriam; Mujeres con Poder Constituyente» son dos) y 7. Solo el 1
    # tiene OTROS. Gobierno: 2, 1, 2, 1, 5, 1.
    assert tabla["organizaciones_osc"].tolist() == [14, 6, 10, 15, 17, 7]
    assert tabla["organizaciones_otros"].tolist() == [1, 0, 0, 0, 0, 0]
    assert tabla["instituciones_gobierno"].tolist() == [2, 1, 2, 1, 5, 1]


@pytest.mark.parametrize(
    ("filas", "esperado"),
    [
        (
            [(2, "OSC", "FLACSO"), (4, "OSC", "FLACSO y Cruz Roja")],
            [("Cruz Roja", "4"), ("FLACSO", "2; 4")],
        ),
        (
            [(4, "OSC", "Cruz Roja y FLACSO"), (5, "OSC", "FLACSO")],
            [("FLACSO", "4; 5"), ("Cruz Roja", "4")],
        ),
        ([(4, "OSC", "Fe y Alegría"), (5, "OSC", "Techo")], [("Fe y Alegría", "4"), ("Techo", "5")]),
        ([(1, "OSC", "Techo"), (1, "OSC", "Techo y asociados")], [("Techo", "1"), ("Techo y asociados", "1")]),
        (
            [(1, "OTROS", "CoST"), (2, "OTROS", "CoST y Transparencia Internacional")],
            [("CoST", "1; 2"), ("Transparencia Internacional", "2")],
        ),
    ],
    ids=["flacso-y-cruz-roja", "parte-conocida-a-la-derecha", "fe-y-alegria-es-una", "resto-en-minuscula-no-se-separa", "otros-sectores"],
)
def test_nombres_unidos_por_y_se_separan_si_los_datos_lo_respaldan(filas, esperado):
    tabla = participacion_organizaciones(_actores(*filas))
    assert sorted(zip(tabla["organizacion"], tabla["lista_compromisos"])) == sorted(esperado)


def test_instituciones_de_gobierno_con_y_no_se_separan():
    actores = _actores((1, "GOBIERNO", "Ministerio de Trabajo"), (2, "GOBIERNO", "Ministerio de Trabajo y Previsión Social"))
    assert participacion_compromisos(actores)["instituciones_gobierno"].tolist() == [1, 1]


def test_real_flacso_y_cruz_roja_son_dos(real):
    tabla = participacion_organizaciones(real.actores).set_index("organizacion")
    # FLACSO figura sola en los compromisos 2, 5 y 6; «FLACSO y Cruz Roja» en el 4.
    assert tabla.loc["FLACSO", "lista_compromisos"] == "2; 4; 5; 6"
    assert tabla.loc["Cruz Roja", "lista_compromisos"] == "4"
    assert "FLACSO y Cruz Roja" not in tabla.index
    assert "Fe y Alegría" in tabla.index
