"""Generación de informes de un periodo (analisis.informe.generar) sobre ejemplos pequeños.

La ejecución real de los cuadernos es cara (núcleos de Jupyter); se hace una
vez por módulo con el tablero hostil y se comprueban varias cosas sobre ese
resultado.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from analisis.cli import main
from analisis.errores import AnalisisError
from analisis.escritura import CERROJO, Salida
from analisis.evaluacion.evaluacion import Evaluacion
from analisis.informe.generar import escribir_indice, generar_periodo, paquete_de_fuente
from analisis.informe.parametros import cuadernos_plantilla

HOSTIL = Path(__file__).parents[1] / "fixtures" / "tablero" / "hostil.txt"
T1 = Evaluacion.desde_textos("2025-T1")


@pytest.fixture(scope="module")
def informe_hostil(tmp_path_factory):
    salida = tmp_path_factory.mktemp("informes")
    resultado = generar_periodo(T1, paquete_de_fuente(HOSTIL), salida, trabajos=2)
    return resultado


def _html(resultado) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in resultado.carpeta.glob("*.html")}


def test_escribe_cuadernos_html_pdf_y_tablas(informe_hostil):
    carpeta = informe_hostil.carpeta
    nombres = {p.name for p in carpeta.iterdir()}
    for cuaderno in cuadernos_plantilla():
        assert cuaderno.name in nombres
        assert cuaderno.with_suffix(".html").name in nombres
    assert "informe_2025-T1.pdf" in nombres
    assert (carpeta / "tablas" / "metricas_compromisos.csv").is_file()
    assert (carpeta / "datos" / "datapackage.json").is_file()
    assert (carpeta.parent / "index.html").is_file()


def test_ningun_script_de_los_datos_llega_al_html(informe_hostil):
    for nombre, texto in _html(informe_hostil).items():
        assert "alert(" not in " ".join(re.findall(r"<script[^>]*>(.*?)</script>", texto, re.S)), nombre
        assert not re.search(r"<img[^>]*onerror", texto, re.I), nombre
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", texto, re.I), nombre


def test_el_texto_hostil_se_ve_como_texto(informe_hostil):
    paginas = _html(informe_hostil)
    resumen = paginas["01_resumen_ejecutivo.html"]
    # La descripción del avance aparece escapada, con su Markdown sin interpretar.
    assert "&lt;script&gt;alert(" in resumen
    assert "**negrita** [enlace](javascript:alert(3))" in resumen
    # La sintaxis de plantillas no se evalúa: «{{ 7*7 }}» no se convierte en 49.
    participacion = paginas["06_participacion.html"]
    assert "Organización {{ 7*7 }}" in participacion


def test_el_pdf_muestra_el_texto_literal(informe_hostil):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    pdf = informe_hostil.carpeta / "informe_2025-T1.pdf"
    texto = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert('avance')</script>" in texto
    assert "Organización {{ 7*7 }}" in texto


def test_paginas_html_enlazan_anterior_siguiente_indice_y_pdf(informe_hostil):
    paginas = [c.with_suffix(".html").name for c in cuadernos_plantilla()]
    for i, nombre in enumerate(paginas):
        html = (informe_hostil.carpeta / nombre).read_text(encoding="utf-8")
        enlaces = dict((rel, href) for href, rel in re.findall(r'<a href="([^"]+)" rel="([a-z]+)">', html))
        assert enlaces["index"] == "../index.html"
        assert enlaces["alternate"] == "informe_2025-T1.pdf"
        assert enlaces.get("prev") == (paginas[i - 1] if i else None)
        # La última página sigue con el apéndice: métodos y glosario también en HTML.
        assert enlaces.get("next") == (paginas[i + 1] if i + 1 < len(paginas) else "apendice.html")
        for href in enlaces.values():
            assert (informe_hostil.carpeta / href).exists(), href


def test_pagina_del_apendice_con_glosario_y_navegacion(informe_hostil):
    html = (informe_hostil.carpeta / "apendice.html").read_text(encoding="utf-8")
    assert "<title>Apéndice: métodos, procedencia y glosario · 2025-T1</title>" in html
    assert '<h2 class="glosario">Glosario</h2>' in html and "Retroceso del porcentaje" in html
    enlaces = dict((rel, href) for href, rel in re.findall(r'<a href="([^"]+)" rel="([a-z]+)">', html))
    assert enlaces == {
        "prev": "08_fichas_compromisos.html", "index": "../index.html", "alternate": "informe_2025-T1.pdf",
    }
    indice = (informe_hostil.carpeta.parent / "index.html").read_text(encoding="utf-8")
    assert "2025-T1/apendice.html" in indice


def test_el_pdf_lleva_el_paquete_de_datos_adjunto(informe_hostil):
    if shutil.which("pdfdetach") is None:
        pytest.skip("pdfdetach (poppler-utils) no está instalado")
    pdf = informe_hostil.carpeta / "informe_2025-T1.pdf"
    lista = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    adjuntos = [linea.split(": ", 1)[1] for linea in lista.splitlines()[1:]]
    esperados = sorted(f"datos-{p.name}" for p in (informe_hostil.carpeta / "datos").iterdir() if not p.name.startswith("."))
    assert adjuntos == esperados
    assert "datos-datapackage.json" in adjuntos and "datos-avances.csv" in adjuntos


def test_el_pdf_tiene_fichas_prosa_y_glosario(informe_hostil):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) no está instalado")
    pdf = informe_hostil.carpeta / "informe_2025-T1.pdf"
    texto = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for esperado in ("Fichas de los compromisos", "En pocas palabras", "Glosario", "Tipos de alerta"):
        assert esperado in texto
    # Las etiquetas de la portada van en versalitas (CSS): pdftotext las da en mayúsculas.
    assert "fecha de captura del tablero" in texto.lower()
    assert "criterio ultimo" not in texto and "«ultimo»" not in texto


def test_los_cuadernos_ejecutados_no_guardan_tiempos_ni_rutas(informe_hostil):
    for cuaderno in cuadernos_plantilla():
        nb = nbformat.read(informe_hostil.carpeta / cuaderno.name, as_version=4)
        assert set(nb.metadata["papermill"]) == {"parameters"}
        assert nb.metadata["papermill"]["parameters"]["periodo"] == "2025-T1"
        for celda in nb.cells:
            assert "execution" not in celda.metadata
        assert nb.cells[0].cell_type == "markdown"  # la celda de reinicio del núcleo no queda


def test_sin_cambios_se_reutiliza(informe_hostil):
    antes = {p: p.stat().st_mtime_ns for p in informe_hostil.carpeta.iterdir()}
    otra = generar_periodo(T1, paquete_de_fuente(HOSTIL), informe_hostil.carpeta.parent, trabajos=2)
    assert otra.reutilizado
    assert {p: p.stat().st_mtime_ns for p in informe_hostil.carpeta.iterdir()} == antes


def test_un_cuaderno_que_falla_no_deja_salida(tmp_path):
    carpeta = tmp_path / "cuadernos"
    carpeta.mkdir()
    original = cuadernos_plantilla()[0]
    nb = nbformat.read(original, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, carpeta / original.name)
    salida = tmp_path / "informes"
    with pytest.raises(AnalisisError, match="ZeroDivisionError"):
        generar_periodo(T1, paquete_de_fuente(HOSTIL), salida, cuadernos=sorted(carpeta.glob("*.ipynb")), trabajos=1)
    # Solo queda el cerrojo (vacío): ni informe, ni índice, ni temporales.
    assert [p.name for p in salida.iterdir()] == [CERROJO]


def test_indice_lista_los_periodos_de_analisis_y_el_nuevo(tmp_path):
    with Salida(tmp_path) as s:
        publicado = s.temporal() / "2025-T1"
        publicado.mkdir()
        (publicado / "informe_2025-T1.pdf").write_bytes(b"%PDF")
        (publicado / "01_resumen_ejecutivo.html").write_text("<title>Resumen &amp; cifras · 2025-T1</title>", encoding="utf-8")
        s.publicar(["2025-T1"])
    # Una carpeta del usuario con la misma forma no es un informe de analisis.
    (tmp_path / "2024-T4").mkdir()
    (tmp_path / "2024-T4" / "informe_2024-T4.pdf").write_bytes(b"%PDF")
    with Salida(tmp_path) as s:
        nuevo = s.temporal() / "2025-T2"
        nuevo.mkdir()
        (nuevo / "informe_2025-T2.pdf").write_bytes(b"%PDF")
        escribir_indice(s, "2025-T2")
        indice = (s.temporal() / "index.html").read_text(encoding="utf-8")
    assert indice.index("2025-T1/informe_2025-T1.pdf") < indice.index("2025-T2/informe_2025-T2.pdf")
    assert "2025-T1/01_resumen_ejecutivo.html" in indice
    # Cada página se enlaza con su título publicado, sin el periodo.
    assert ">Resumen &amp; cifras</a>" in indice
    assert "2024-T4" not in indice


@pytest.mark.parametrize(
    "argumentos,mensaje",
    [
        (["--periodo", "2025-T9"], "2025-T9"),
        (["--periodo", "2025-T1", "--corte", "2025-02-30"], "2025-02-30"),
        (["--periodo", "2025-T1", "--criterio", "media"], "criterio no válido"),
        (["--periodo", "2025-T1", "--fuente", "no/existe.txt"], "no existe el archivo fuente"),
        (["--periodo", "2025-T1", "--fuente", "data/raw/gt-6pan-2023-2025"], "es una carpeta"),
        (["--todos", "--corte", "2025-03-01"], "--corte no se puede usar con --todos"),
        # El primer hito del tablero incluido empieza el 2023-06-01 (hitos.csv, a mano).
        (["--periodo", "2023-T1"], "2023-03-31 (periodo 2023-T1) es anterior al inicio del plan (2023-06-01"),
    ],
    ids=["trimestre-inexistente", "corte-imposible", "criterio", "fuente-inexistente", "fuente-carpeta",
         "todos-con-corte", "periodo-anterior-al-plan"],
)
def test_parametros_invalidos_en_la_cli(tmp_path, capsys, argumentos, mensaje):
    salida = tmp_path / "informes"
    assert main(["informe", *argumentos, "--salida", str(salida)]) == 2
    assert mensaje in capsys.readouterr().err
    assert not salida.exists()


@pytest.mark.parametrize(
    "estropear",
    [
        lambda c: (c / "informe_2025-T1.pdf").write_bytes(b"%PDF-roto"),
        lambda c: shutil.rmtree(c / "tablas"),
        lambda c: (c / "apendice.html").unlink(),
    ],
    ids=["pdf-corrupto", "tablas-borradas", "apendice-borrado"],
)
def test_la_cache_comprueba_lo_que_reutiliza(informe_hostil, estropear):
    carpeta = informe_hostil.carpeta
    antes = {p.relative_to(carpeta): p.read_bytes() for p in carpeta.rglob("*") if p.is_file()}
    estropear(carpeta)
    otra = generar_periodo(T1, paquete_de_fuente(HOSTIL), carpeta.parent, trabajos=2)
    assert not otra.reutilizado
    assert {p.relative_to(carpeta): p.read_bytes() for p in carpeta.rglob("*") if p.is_file()} == antes


def test_adjuntos_del_informe_con_valoraciones(tmp_path):
    from analisis.informe.generar import adjuntos_del_informe

    paquete = paquete_de_fuente(HOSTIL)
    valoraciones = tmp_path / "valoraciones_2025.csv"
    valoraciones.write_text("nivel,id,completitud\ncompromiso,1,limitado\n", encoding="utf-8")
    sin = adjuntos_del_informe(paquete)
    from analisis.informe.generar import ArchivoValoraciones

    con = adjuntos_del_informe(paquete, ArchivoValoraciones(valoraciones.name, valoraciones.read_bytes()))
    assert [a.nombre for a in sin] == sorted(f"datos-{n}" for n in paquete.archivos)
    assert [a.nombre for a in con] == [a.nombre for a in sin] + ["valoraciones_2025.csv"]
    assert con[-1].contenido == valoraciones.read_bytes()
    assert all(a.contenido == paquete.archivos[a.nombre.removeprefix("datos-")] for a in sin)
