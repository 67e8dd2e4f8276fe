"""Pruebas de la normalización de instituciones (analisis.lectura.instituciones).

Las variantes vienen del tablero real: el compromiso 1 escribe «Comisión de
Gobierno Abierto y Electrónico», sus avances «Comisión Presidencial de Gobierno
Abierto y Electrónico (GAE)», y el compromiso 5 «Defensoría de la Mujer
Indigena» sin tilde.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analisis.lectura.paquete import tablas_desde_tablero
from analisis.errores import ErrorEntrada
from analisis.lectura.instituciones import (
    CatalogoInstituciones,
    catalogo_por_defecto,
    clave,
    normalizar_columna,
    normalizar_institucion,
    normalizar_nombres,
)

GAE = "Comisión Presidencial de Gobierno Abierto y Electrónico"


@pytest.mark.parametrize(
    "escrito",
    [
        "Comisión de Gobierno Abierto y Electrónico",
        "Comisión Presidencial de Gobierno Abierto y Electrónico",
        "GAE",
        "gae",
        "COMISION PRESIDENCIAL DE GOBIERNO ABIERTO Y ELECTRONICO",
        "  Comisión   de Gobierno\nAbierto y Electrónico ",
    ],
    ids=["sin-presidencial", "nombre-oficial", "sigla", "sigla-minuscula", "mayusculas-sin-tildes", "espacios-y-salto"],
)
def test_variantes_de_la_gae_son_una_institucion(escrito):
    i = catalogo_por_defecto().buscar(escrito)
    assert (i.nombre, i.sigla, i.conocida) == (GAE, "GAE", True)


def test_sin_tilde_toma_el_nombre_con_tilde():
    assert normalizar_institucion("Defensoría de la Mujer Indigena") == "Defensoría de la Mujer Indígena"


def test_desconocida_pasa_con_espacios_limpios_y_sin_sigla():
    i = catalogo_por_defecto().buscar("  Ministerio de  Cultura y Deportes ")
    assert (i.nombre, i.sigla, i.conocida) == ("Ministerio de Cultura y Deportes", "", False)


def test_desconocidas_que_solo_difieren_en_tildes_se_agrupan_bajo_la_mas_frecuente():
    nombres = ["Registro de la Propiedad", "registro de la propiedad", "Registro de la Propiedad", "Réǵistro de la Propiedad"]
    mapa = normalizar_nombres(nombres)
    # «Registro de la Propiedad» aparece 2 veces frente a 1 de cada variante.
    assert {i.nombre for i in mapa.values()} == {"Registro de la Propiedad"}


def test_desconocidas_empatadas_toman_la_primera_que_aparece():
    mapa = normalizar_nombres(["Instituto X", "INSTITUTO X"])
    assert mapa["INSTITUTO X"].nombre == "Instituto X"
    mapa = normalizar_nombres(["INSTITUTO X", "Instituto X"])
    assert mapa["Instituto X"].nombre == "INSTITUTO X"


def test_nunca_se_descarta_un_nombre():
    nombres = ["GAE", "Desconocida A", "Desconocida B", "Ministerio de Educación"]
    assert list(normalizar_nombres(nombres)) == nombres


def test_columna_normalizada_conserva_el_indice():
    serie = pd.Series(["Defensoría de la Mujer Indigena", "Otra"], index=[10, 20])
    tabla = normalizar_columna(serie)
    assert tabla.index.tolist() == [10, 20]
    assert tabla.loc[10].tolist() == ["Defensoría de la Mujer Indígena", "DEMI"]
    assert tabla.loc[20].tolist() == ["Otra", ""]


def test_clave_quita_tildes_mayusculas_y_espacios_pero_no_la_enie():
    assert clave("  Secretaría  de la NIÑEZ ") == "secretaria de la niñez"


def test_archivo_de_alias_propio(tmp_path):
    ruta = tmp_path / "alias.csv"
    ruta.write_text(
        "alias,nombre_normalizado,sigla\n"
        "Min. Finanzas,Ministerio de Finanzas Públicas,MINFIN\n"
        "\n",  # una línea en blanco al final no es una fila
        encoding="utf-8",
    )
    catalogo = CatalogoInstituciones.desde_csv(ruta)
    # El alias, el nombre normalizado y la sigla llevan al mismo nombre.
    for escrito in ("min. finanzas", "Ministerio de Finanzas Publicas", "minfin"):
        assert catalogo.buscar(escrito).nombre == "Ministerio de Finanzas Públicas"
    # Con este catálogo la GAE ya no es conocida.
    assert catalogo.buscar("GAE").conocida is False


def test_alias_asignado_a_dos_instituciones_es_error_con_su_linea(tmp_path):
    ruta = tmp_path / "alias.csv"
    ruta.write_text(
        "alias,nombre_normalizado,sigla\n"
        "Comisión,Comisión A,CA\n"
        "comision,Comisión B,CB\n",
        encoding="utf-8",
    )
    with pytest.raises(ErrorEntrada, match=r"alias\.csv:3: «comision» ya estaba asignado a «Comisión A»"):
        CatalogoInstituciones.desde_csv(ruta)


@pytest.mark.parametrize(
    ("contenido", "fragmento"),
    [
        ("nombre,alias\nA,B\n", ":1: la cabecera debe ser exactamente"),
        ("alias,nombre_normalizado,sigla\nA,B\n", ":2: se esperaban 3 columnas y hay 2"),
        ("alias,nombre_normalizado,sigla\n,B,C\n", ":2: fila de alias incompleta"),
    ],
    ids=["cabecera", "columnas-de-menos", "alias-vacio"],
)
def test_archivo_de_alias_mal_formado(tmp_path, contenido, fragmento):
    ruta = tmp_path / "alias.csv"
    ruta.write_text(contenido, encoding="utf-8")
    with pytest.raises(ErrorEntrada, match=fragmento):
        CatalogoInstituciones.desde_csv(ruta)


def test_archivo_de_alias_inexistente(tmp_path):
    with pytest.raises(ErrorEntrada, match="no existe"):
        CatalogoInstituciones.desde_csv(tmp_path / "no.csv")


def test_el_archivo_distribuido_cubre_todas_las_instituciones_del_tablero_real():
    from pathlib import Path

    from analisis.lectura.tablero import parsear_archivo

    crudo = Path(__file__).parents[2] / "data" / "raw" / "gt-6pan-2023-2025" / "tableropan_gt_6pan_2023-2025.txt"
    tablas = tablas_desde_tablero(parsear_archivo(crudo))
    catalogo = catalogo_por_defecto()
    desconocidas = sorted({n for n in tablas.hitos["institucion"] if not catalogo.buscar(n).conocida})
    assert desconocidas == []
    # Los 27 hitos usan 12 escrituras distintas, una por institución (contadas a
    # mano en el archivo crudo: GAE, CNC, SESAN, MSPAS, MINEDUC, CONAMIGUA,
    # MINGOB, CONAPREVI, DEMI, SEPREM, IV y MINTRAB): ninguna se fusiona por error.
    normalizadas = {catalogo.buscar(n).nombre for n in tablas.hitos["institucion"]}
    assert len(normalizadas) == 12
