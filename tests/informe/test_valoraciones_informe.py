"""Valoraciones del evaluador en el informe: parámetro de los cuadernos, tablas, apéndice y CLI.

El informe de principio a fin se genera una vez por módulo con el plan de
ejemplo (tests/fixtures/metricas/plan.txt) y sus valoraciones escritas a mano
(tests/fixtures/valoraciones/plan.csv); las cifras esperadas están leídas a
mano en tests/evaluacion/test_valoraciones.py.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from analisis.cli import main
from analisis.errores import ErrorEntrada
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe import presentacion
from analisis.informe.contexto import preparar
from analisis.informe.generar import (
    ArchivoValoraciones,
    apendice_metodos,
    generar_periodo,
    huella,
    paquete_de_fuente,
    valoraciones_de_archivo,
)
from analisis.informe.parametros import cuadernos_plantilla, leer_parametros

RAIZ = Path(__file__).parents[2]
PLAN = RAIZ / "tests" / "fixtures" / "metricas" / "plan.txt"
VALORACIONES = RAIZ / "tests" / "fixtures" / "valoraciones" / "plan.csv"
EJEMPLO = RAIZ / "data" / "valoraciones" / "gt-6pan-2023-2025" / "ejemplo.csv"
T1 = Evaluacion.desde_textos("2025-T1")


@pytest.fixture(scope="module")
def paquete():
    return paquete_de_fuente(PLAN)


@pytest.fixture(scope="module")
def paquete_dir(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("paquete")
    assert main(["parse", str(PLAN), "--out", str(carpeta)]) == 0
    return carpeta


@pytest.fixture(scope="module")
def informe(paquete, tmp_path_factory):
    salida = tmp_path_factory.mktemp("informes")
    return generar_periodo(T1, paquete, salida, trabajos=2, valoraciones=valoraciones_de_archivo(VALORACIONES, paquete))


def _filas_html(texto: str, encabezado: str) -> list[list[str]]:
    """Filas (celdas como texto) de la primera tabla cuya cabecera contiene ``encabezado``."""
    for tabla in re.findall(r"<table.*?</table>", texto, re.S):
        if encabezado in tabla:
            return [
                [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", fila, re.S)]
                for fila in re.findall(r"<tr>(.*?)</tr>", tabla, re.S)
                if "<td>" in fila
            ]
    raise AssertionError(f"no hay tabla con «{encabezado}»")


def test_todos_los_cuadernos_declaran_el_parametro():
    for cuaderno in cuadernos_plantilla():
        p = leer_parametros(cuaderno)["valoraciones"]
        assert (p.tipo, p.defecto) == (str, ""), cuaderno.name


def test_la_copia_acompana_al_informe(informe):
    assert (informe.carpeta / "valoraciones" / "plan.csv").read_bytes() == VALORACIONES.read_bytes()


def test_los_cuadernos_reciben_la_copia(informe):
    for cuaderno in cuadernos_plantilla():
        nb = nbformat.read(informe.carpeta / cuaderno.name, as_version=4)
        assert nb.metadata["papermill"]["parameters"]["valoraciones"] == "valoraciones/plan.csv"


def test_reportado_recalculado_y_valorado_por_compromiso(informe):
    texto = (informe.carpeta / "03_avance_compromisos.html").read_text(encoding="utf-8")
    assert _filas_html(texto, "Resultados valorados") == [
        ["1", "55", "55.0", "sustancial", "sustancial", "modesto", "moderados", "sí"],
        ["2", "10", "0.0", "no iniciado", "sin valorar", "sin valorar", "significativos", "sin valorar"],
    ]


def test_valorado_por_hito(informe):
    texto = (informe.carpeta / "03_avance_compromisos.html").read_text(encoding="utf-8")
    filas = {f[0]: f for f in _filas_html(texto, "Serie")}
    # Hito, ..., Nivel (recalculado) ..., Completitud valorada, Evidencia verificada (las dos últimas).
    assert filas["1.2"][-2:] == ["sustancial", "no"] and "limitado" in filas["1.2"]
    assert filas["2.2"][-2:] == ["sin valorar", "sin valorar"]


def test_tablas_y_alertas_del_informe(informe):
    with open(informe.carpeta / "tablas" / "alertas.csv", encoding="utf-8", newline="") as f:
        propias = [(a["hito_id"], a["compromiso"]) for a in csv.DictReader(f) if a["tipo"] == "valoracion_sin_respaldo"]
    assert propias == [("1.2", "1"), ("", "2"), ("2.1", "2"), ("2.1", "2")]


def test_el_apendice_del_pdf_lleva_el_sha256(informe):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    pdf = informe.carpeta / "informe_2025-T1.pdf"
    texto = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert hashlib.sha256(VALORACIONES.read_bytes()).hexdigest() in texto
    # WeasyPrint puede partir con guion el texto largo; se une antes de buscar.
    assert "--valoraciones valoraciones/plan.csv" in " ".join(texto.replace("\u2010\n", "").split())


def test_otras_valoraciones_cambian_la_huella(paquete):
    cuadernos = cuadernos_plantilla()
    parametros = {"periodo": "2025-T1"}
    una = huella(paquete, cuadernos, parametros, ArchivoValoraciones("v.csv", b"a"))
    otra = huella(paquete, cuadernos, parametros, ArchivoValoraciones("v.csv", b"b"))
    assert len({huella(paquete, cuadernos, parametros), una, otra}) == 3


def test_apendice_sin_valoraciones_no_las_menciona(paquete):
    assert "valoraciones" not in apendice_metodos(T1, paquete).lower()


def test_contexto_con_y_sin_valoraciones(paquete_dir):
    sin = preparar("2025-T1", "", str(paquete_dir), "")
    assert sin.valoraciones is None and "completitud_valorada" not in sin.metricas["metricas_hitos"].columns
    assert presentacion.columnas_valoradas(sin, "metricas_hitos") == {}
    assert "no incluye valoraciones" in presentacion.comparacion_compromisos(sin).data
    con = preparar("2025-T1", "", str(paquete_dir), "", str(VALORACIONES))
    assert con.valoraciones.sha256 == hashlib.sha256(VALORACIONES.read_bytes()).hexdigest()
    mh = con.metricas["metricas_hitos"].set_index("hito_id")
    assert mh.loc["1.2", "completitud_valorada"] == "sustancial"
    assert list(presentacion.columnas_valoradas(con, "metricas_hitos")) == ["completitud_valorada", "evidencia_verificada"]


def test_contexto_con_valoraciones_malas_nombra_la_linea(paquete_dir, tmp_path):
    malo = tmp_path / "malo.csv"
    malo.write_text(VALORACIONES.read_text(encoding="utf-8").replace("modesto", "enorme"), encoding="utf-8")
    with pytest.raises(ErrorEntrada, match=r"malo\.csv:2: columna «potencial»"):
        preparar("2025-T1", "", str(paquete_dir), "", str(malo))


def test_el_ejemplo_incluido_es_valido_y_esta_marcado(tmp_path):
    """El ejemplo del plan real valida frente al paquete incluido y cada fila rellenada dice que es un ejemplo."""
    assert main(["valoraciones", "validar", str(EJEMPLO), "--datos", str(RAIZ / "data" / "processed")]) == 0
    with open(EJEMPLO, encoding="utf-8", newline="") as f:
        filas = list(csv.DictReader(f))
    assert len(filas) == 33
    rellenas = [f for f in filas if f["completitud"] or f["evaluador"] or f["nota"]]
    assert rellenas and all("EJEMPLO" in f["evaluador"] and f["nota"].startswith("EJEMPLO") for f in rellenas)


@pytest.mark.parametrize(
    "argumentos, mensaje",
    [
        pytest.param(["--todos", "--valoraciones", str(VALORACIONES)], "--valoraciones no se puede usar con --todos",
                     id="con-todos"),
        pytest.param(["--periodo", "2025-T1", "--valoraciones", "no/existe.csv"], "no existe el archivo de valoraciones",
                     id="inexistente"),
    ],
)
def test_cli_rechaza_antes_de_ejecutar(tmp_path, capsys, argumentos, mensaje):
    salida = tmp_path / "informes"
    assert main(["informe", *argumentos, "--fuente", str(PLAN), "--salida", str(salida)]) == 2
    assert mensaje in capsys.readouterr().err
    assert not salida.exists()


def test_cli_valoraciones_malas_no_escribe_nada(tmp_path, capsys):
    malo = tmp_path / "malo.csv"
    malo.write_text(VALORACIONES.read_text(encoding="utf-8").replace("hito,1.2,", "hito,8.1,"), encoding="utf-8")
    salida = tmp_path / "informes"
    argv = ["informe", "--periodo", "2025-T1", "--fuente", str(PLAN), "--valoraciones", str(malo), "--salida", str(salida)]
    assert main(argv) == 2
    assert f"{malo}:5: columna «id»: el hito no existe en el paquete de datos: «8.1»" in capsys.readouterr().err
    assert not salida.exists()
