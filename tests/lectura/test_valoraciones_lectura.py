"""Lectura y validación del archivo de valoraciones (analisis.lectura.valoraciones).

El paquete de referencia es el del plan de ejemplo (tests/fixtures/metricas/plan.txt):
compromisos 1 y 2, hitos 1.1, 1.2, 2.1 y 2.2. Las valoraciones de
tests/fixtures/valoraciones/plan.csv están escritas a mano; su fila del
compromiso 1 ocupa las líneas 2 y 3 (nota en dos líneas).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from analisis.errores import ErrorEntrada
from analisis.lectura.valoraciones import columnas, esquema, etiqueta, leer_valoraciones, valores_admitidos

FIXTURE = Path(__file__).parents[1] / "fixtures" / "valoraciones" / "plan.csv"
COMPROMISOS = [1, 2]
HITOS = ["1.1", "1.2", "2.1", "2.2"]
CABECERA = "nivel,id,titulo,completitud_sugerida,completitud,potencial,resultados,evidencia_verificada,nota,evaluador,fecha_valoracion"


def _leer(ruta: Path):
    return leer_valoraciones(ruta, COMPROMISOS, HITOS)


def _archivo(tmp_path: Path, *filas: str, cabecera: str = CABECERA) -> Path:
    ruta = tmp_path / "valoraciones.csv"
    ruta.write_text("\n".join([cabecera, *filas]) + "\n", encoding="utf-8")
    return ruta


def test_lee_el_ejemplo_con_sus_lineas():
    v = _leer(FIXTURE)
    t = v.tabla
    assert list(zip(t["nivel"], t["id"], t["linea"])) == [
        ("compromiso", "1", 2),
        ("hito", "1.1", 4),
        ("hito", "1.2", 5),
        ("compromiso", "2", 6),
        ("hito", "2.1", 7),
    ]
    assert list(t["compromiso"]) == [1, 1, 1, 2, 2]
    assert list(t["hito_id"]) == ["", "1.1", "1.2", "", "2.1"]
    assert t.loc[0, "nota"] == "Dos conjuntos publicados;\nverificados en el portal."
    assert v.archivo == "plan.csv"
    assert v.sha256 == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()


def test_celdas_vacias_son_sin_valorar():
    fila = _leer(FIXTURE).tabla.set_index("id").loc["2"]
    assert (fila["completitud"], fila["potencial"], fila["resultados"], fila["evidencia_verificada"]) == ("", "", "significativos", "")
    assert fila["fecha_valoracion"] == ""


@pytest.mark.parametrize(
    "escrito, canonico",
    [
        pytest.param("Sin evidencia", "sin_evidencia", id="mayusculas-y-espacio"),
        pytest.param(" no-iniciado ", "no_iniciado", id="guion-y-espacios-alrededor"),
        pytest.param("COMPLETO", "completo", id="todo-mayusculas"),
    ],
)
def test_completitud_se_normaliza(tmp_path, escrito, canonico):
    ruta = _archivo(tmp_path, f"hito,1.1,,,{escrito},,,,,,")
    assert _leer(ruta).tabla.loc[0, "completitud"] == canonico


def test_si_con_tilde_es_si(tmp_path):
    ruta = _archivo(tmp_path, "hito,1.1,,,,,,Sí,,,")
    assert _leer(ruta).tabla.loc[0, "evidencia_verificada"] == "si"


def test_acepta_bom_y_columnas_en_otro_orden(tmp_path):
    ruta = tmp_path / "excel.csv"
    ruta.write_bytes(
        "\ufeffid,nivel,completitud,titulo,completitud_sugerida,potencial,resultados,evidencia_verificada,nota,evaluador,fecha_valoracion\r\n"
        "2.2,hito,limitado,,,,,,,,\r\n".encode("utf-8")
    )
    t = _leer(ruta).tabla
    assert (t.loc[0, "id"], t.loc[0, "completitud"], t.loc[0, "linea"]) == ("2.2", "limitado", 2)


def test_columnas_de_solo_lectura_no_se_validan(tmp_path):
    ruta = _archivo(tmp_path, "hito,1.1,cualquier texto,valor inventado,,,,,,,")
    assert len(_leer(ruta).tabla) == 1


@pytest.mark.parametrize(
    "filas, mensaje",
    [
        pytest.param(
            ["hito,1.1,,,complete,,,,,,"],
            "valoraciones.csv:2: columna «completitud»: valor no admitido "
            "(admitidos: sin_evidencia, no_iniciado, limitado, sustancial, completo): «complete»",
            id="completitud-desconocida",
        ),
        pytest.param(
            ["hito,1.1,,,,,,,,,", "hito,7.1,,,completo,,,,,,"],
            "valoraciones.csv:3: columna «id»: el hito no existe en el paquete de datos: «7.1»",
            id="hito-desconocido",
        ),
        pytest.param(
            ["compromiso,9,,,limitado,,,,,,"],
            "valoraciones.csv:2: columna «id»: el compromiso no existe en el paquete de datos: «9»",
            id="compromiso-desconocido",
        ),
        pytest.param(
            ["hito,1.2,,,,modesto,,,,,"],
            "valoraciones.csv:2: columna «potencial»: solo se valora en filas de compromiso, no de hito: «modesto»",
            id="potencial-en-un-hito",
        ),
        pytest.param(
            ["hito,1.2,,,,,moderados,,,,"],
            "valoraciones.csv:2: columna «resultados»: solo se valora en filas de compromiso, no de hito: «moderados»",
            id="resultados-en-un-hito",
        ),
        pytest.param(
            ["compromiso,1,,,,,excelentes,,,,"],
            "valoraciones.csv:2: columna «resultados»: valor no admitido (admitidos: sin_resultados_notables, "
            "moderados, significativos, sobresalientes): «excelentes»",
            id="resultados-desconocidos",
        ),
        pytest.param(
            ["hito,1.1,,,,,,tal vez,,,"],
            "valoraciones.csv:2: columna «evidencia_verificada»: valor no admitido (admitidos: si, parcial, no): «tal vez»",
            id="evidencia-desconocida",
        ),
        pytest.param(
            ["hito,1.1,,,,,,,,,10/04/2025"],
            "valoraciones.csv:2: columna «fecha_valoracion»: fecha no válida, se espera AAAA-MM-DD: «10/04/2025»",
            id="fecha-con-barras",
        ),
        pytest.param(
            ["hito,1.1,,,,,,,,,2025-02-30"],
            "valoraciones.csv:2: columna «fecha_valoracion»: fecha no válida, se espera AAAA-MM-DD: «2025-02-30»",
            id="fecha-inexistente",
        ),
        pytest.param(
            ["subhito,1.1,,,,,,,,,"],
            "valoraciones.csv:2: columna «nivel»: valor no admitido (admitidos: compromiso, hito): «subhito»",
            id="nivel-desconocido",
        ),
        pytest.param(
            [",1.1,,,completo,,,,,,"],
            "valoraciones.csv:2: columna «nivel»: no puede quedar vacía",
            id="nivel-vacio",
        ),
        pytest.param(
            ["hito,uno,,,,,,,,,"],
            "valoraciones.csv:2: columna «id»: formato no válido: «uno»",
            id="id-mal-formado",
        ),
        pytest.param(
            ["hito,1.1,,,limitado,,,,,,", "hito,1.2,,,,,,,,,", "hito,1.1,,,completo,,,,,,"],
            "valoraciones.csv:4: columna «id»: el hito ya se valoró en la línea 2: «1.1»",
            id="fila-repetida",
        ),
        pytest.param(
            ["hito,1.1,,,limitado,,,,,"],
            "valoraciones.csv:2: la fila tiene 10 celdas y la cabecera 11",
            id="celdas-de-menos",
        ),
        pytest.param(
            ['compromiso,1,,,,,,,"nota', 'en dos líneas",,', "hito,1.1,,,casi,,,,,,"],
            "valoraciones.csv:4: columna «completitud»: valor no admitido "
            "(admitidos: sin_evidencia, no_iniciado, limitado, sustancial, completo): «casi»",
            id="linea-real-tras-una-nota-de-dos-lineas",
        ),
    ],
)
def test_valor_malo_nombra_archivo_linea_y_columna(tmp_path, filas, mensaje):
    ruta = _archivo(tmp_path, *filas)
    with pytest.raises(ErrorEntrada) as error:
        _leer(ruta)
    assert str(error.value) == f"{tmp_path}/{mensaje}"


@pytest.mark.parametrize(
    "cabecera, mensaje",
    [
        pytest.param(
            CABECERA.replace("completitud,", "completud,"),
            "valoraciones.csv:1: columna desconocida (válidas: " + ", ".join(columnas()) + "): «completud»",
            id="columna-mal-escrita",
        ),
        pytest.param(
            CABECERA.replace(",evaluador", ""),
            "valoraciones.csv:1: faltan las columnas evaluador",
            id="falta-una-columna",
        ),
        pytest.param(CABECERA + ",nota", "valoraciones.csv:1: columna repetida: «nota»", id="columna-repetida"),
    ],
)
def test_cabecera_mala(tmp_path, cabecera, mensaje):
    ruta = _archivo(tmp_path, cabecera=cabecera)
    with pytest.raises(ErrorEntrada) as error:
        _leer(ruta)
    assert str(error.value) == f"{tmp_path}/{mensaje}"


def test_archivo_vacio(tmp_path):
    ruta = tmp_path / "vacio.csv"
    ruta.write_bytes(b"")
    with pytest.raises(ErrorEntrada, match=r"vacio\.csv:1: el archivo está vacío"):
        _leer(ruta)


def test_archivo_que_no_es_utf8_nombra_su_linea(tmp_path):
    ruta = tmp_path / "latin1.csv"
    ruta.write_bytes((CABECERA + "\nhito,1.1,Capacitación,,,,,,,,\n").encode("latin-1"))
    with pytest.raises(ErrorEntrada, match=r"latin1\.csv:2: el archivo no está en UTF-8"):
        _leer(ruta)


def test_archivo_inexistente(tmp_path):
    with pytest.raises(ErrorEntrada, match="no existe el archivo de valoraciones"):
        _leer(tmp_path / "no.csv")


def test_cada_valor_admitido_tiene_etiqueta():
    for nombre in ("nivel", "completitud", "potencial", "resultados", "evidencia_verificada"):
        for valor in valores_admitidos(nombre):
            assert etiqueta(nombre, valor), (nombre, valor)
    assert etiqueta("evidencia_verificada", "si") == "sí"
    assert etiqueta("completitud", "sin_evidencia") == "sin evidencia"


def test_el_esquema_es_un_table_schema_valido_y_valida_el_ejemplo():
    frictionless = pytest.importorskip("frictionless")
    schema = frictionless.Schema.from_descriptor(json.loads(json.dumps(esquema())))
    informe = frictionless.Resource(path=FIXTURE.name, basepath=str(FIXTURE.parent), schema=schema).validate()
    assert informe.valid, informe.flatten(["rowNumber", "fieldName", "type", "message"])


def test_frictionless_rechaza_un_valor_fuera_de_la_lista(tmp_path):
    """El esquema, y no solo el código, declara los valores admitidos."""
    frictionless = pytest.importorskip("frictionless")
    ruta = _archivo(tmp_path, "hito,1.1,,,completisimo,,,,,,")
    informe = frictionless.Resource(path=ruta.name, basepath=str(tmp_path), schema=frictionless.Schema.from_descriptor(dict(esquema()))).validate()
    assert [e[:2] for e in informe.flatten(["fieldName", "type"])] == [["completitud", "constraint-error"]]
