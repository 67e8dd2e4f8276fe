"""PDF con WeasyPrint: exportador de nbconvert, informe compuesto, reproducibilidad."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analisis.informe import pdf as modulo_pdf
from analisis.errores import ErrorParametro
from analisis.informe.exportadores import ExportadorPDF
from analisis.informe.html import exportar_html
from analisis.informe.pdf import (
    Adjunto,
    componer_informe,
    cuerpo_de_seccion,
    html_a_pdf,
    html_informe,
    pdf_bytes,
)

HOSTIL = Path(__file__).parents[1] / "fixtures" / "hostil.ipynb"

PORTADA = {
    "titulo": "Evaluación del 6.º Plan de Acción",
    "subtitulo": "Gobierno Abierto, Guatemala",
    "periodo": "2023-2025",
    "fecha_corte": date(2025, 6, 30),
    "Elaborado por": "Equipo evaluador",
}


def _requiere(programa: str) -> str:
    ruta = shutil.which(programa)
    if ruta is None:
        pytest.skip(f"{programa} (poppler-utils) no está instalado")
    return ruta


def _texto(pdf: Path, pagina: int | None = None) -> str:
    orden = [_requiere("pdftotext"), "-layout"]
    if pagina is not None:
        orden += ["-f", str(pagina), "-l", str(pagina)]
    return subprocess.run([*orden, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _paginas(pdf: Path) -> int:
    salida = subprocess.run([_requiere("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", salida, re.MULTILINE).group(1))


def _seccion(texto: str) -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell(f"## {texto}\n\nParticipación, año y acción."),
            new_code_cell("print('x')", outputs=[new_output("stream", name="stdout", text=f"{texto}: 42 hitos\n")]),
        ]
    )


SECCIONES = [("Situación general", _seccion("Resumen")), ("Hallazgos", _seccion("Detalle"))]
APENDICE = "<p>Notas del <b>apéndice</b> de confianza.</p>"


@pytest.fixture(scope="module")
def informe(tmp_path_factory) -> Path:
    salida = tmp_path_factory.mktemp("informe") / "informe.pdf"
    componer_informe(SECCIONES, PORTADA, APENDICE, salida)
    return salida


@pytest.fixture(scope="module")
def pdf_hostil(tmp_path_factory) -> Path:
    salida = tmp_path_factory.mktemp("hostil") / "hostil.pdf"
    html_a_pdf(exportar_html(HOSTIL), salida)
    return salida


# ---------- Exportador de nbconvert ----------


def test_exportador_registrado_como_punto_de_entrada():
    from nbconvert.exporters import get_exporter, get_export_names

    assert get_exporter("analisis_pdf") is ExportadorPDF
    assert "analisis_pdf" in get_export_names()


def test_exportador_describe_pdf_en_espanol():
    exportador = ExportadorPDF()
    assert exportador.output_mimetype == "application/pdf"
    assert exportador.file_extension == ".pdf"
    assert "PDF del informe" in ExportadorPDF.export_from_notebook


def test_exportador_produce_pdf():
    datos, recursos = ExportadorPDF().from_notebook_node(nbformat.read(HOSTIL, as_version=4))
    assert datos.startswith(b"%PDF-")
    assert recursos["output_extension"] == ".pdf"


def test_nbconvert_to_analisis_pdf_escribe_el_archivo(tmp_path):
    from nbconvert.nbconvertapp import NbConvertApp

    cuaderno = tmp_path / "informe_prueba.ipynb"
    shutil.copy(HOSTIL, cuaderno)
    app = NbConvertApp()
    app.initialize(["--to", "analisis_pdf", "--output-dir", str(tmp_path), str(cuaderno)])
    app.convert_notebooks()
    assert (tmp_path / "informe_prueba.pdf").read_bytes().startswith(b"%PDF-")


# ---------- Reproducibilidad y escritura ----------


def test_pdf_identico_byte_a_byte():
    html = exportar_html(HOSTIL)
    primero = pdf_bytes(html)
    time.sleep(1.1)  # las fuentes incrustadas llevan la hora con resolución de segundos
    assert pdf_bytes(html) == primero


def test_pdf_sin_fechas_y_con_identificador_del_contenido():
    # PDF/A exige /ID: WeasyPrint lo deriva del contenido, no del azar ni de la hora.
    html = "<html lang='es'><body><p>Año</p></body></html>"
    datos = pdf_bytes(html)
    assert b"/CreationDate" not in datos and b"/ModDate" not in datos
    (identificador,) = re.findall(rb"/ID \[\((\w+)\)", datos)
    (otro,) = re.findall(rb"/ID \[\((\w+)\)", pdf_bytes(html.replace("Año", "Mes")))
    assert identificador != otro


def _adjuntos_de(pdf: Path) -> list[str]:
    salida = subprocess.run([_requiere("pdfdetach"), "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [linea.split(": ", 1)[1] for linea in salida.splitlines()[1:]]


def test_adjuntos_incrustados_y_reproducibles(tmp_path):
    adjuntos = [Adjunto("compromisos.csv", "compromiso,titulo\n1,Año\n".encode(), "Paquete de datos"), Adjunto("datapackage.json", b"{}", "Esquema")]
    salida = tmp_path / "x.pdf"
    html_a_pdf("<html lang='es'><body><p>Año</p></body></html>", salida, adjuntos)
    primero = salida.read_bytes()
    assert _adjuntos_de(salida) == ["compromisos.csv", "datapackage.json"]
    subprocess.run([_requiere("pdfdetach"), "-save", "1", "-o", str(tmp_path / "sacado.csv"), str(salida)], check=True)
    assert (tmp_path / "sacado.csv").read_bytes() == "compromiso,titulo\n1,Año\n".encode()
    time.sleep(1.1)
    html_a_pdf("<html lang='es'><body><p>Año</p></body></html>", salida, adjuntos)
    assert salida.read_bytes() == primero
    # Fechas de los adjuntos fijas (la época reproducible, 2000-01-01), no la hora actual.
    assert b"D:20000101000000Z" in primero


def test_pdf_declara_pdf_a_3b(tmp_path):
    salida = tmp_path / "x.pdf"
    html_a_pdf("<html lang='es'><body><p>Año</p></body></html>", salida)
    xmp = subprocess.run([_requiere("pdfinfo"), "-meta", str(salida)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)


def test_source_date_epoch_no_queda_en_el_entorno():
    previo = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        pdf_bytes("<p>x</p>")
        assert "SOURCE_DATE_EPOCH" not in os.environ
    finally:
        if previo is not None:
            os.environ["SOURCE_DATE_EPOCH"] = previo


def test_informe_compuesto_identico(tmp_path, informe):
    otro = tmp_path / "otro.pdf"
    componer_informe(SECCIONES, PORTADA, APENDICE, otro)
    assert otro.read_bytes() == informe.read_bytes()


def test_escritura_atomica_reemplaza_sin_restos(tmp_path):
    salida = tmp_path / "x.pdf"
    salida.write_bytes(b"anterior")
    assert html_a_pdf("<p>Hola</p>", salida) == 1
    assert salida.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_fallo_al_renderizar_conserva_el_archivo_anterior(tmp_path, monkeypatch):
    salida = tmp_path / "x.pdf"
    salida.write_bytes(b"anterior")

    def fallar(html, adjuntos=()):
        raise RuntimeError("fallo simulado")

    monkeypatch.setattr(modulo_pdf, "_renderizar", fallar)
    with pytest.raises(RuntimeError):
        html_a_pdf("<p>x</p>", salida)
    assert salida.read_bytes() == b"anterior"


def test_no_lee_archivos_locales(tmp_path):
    hoja = tmp_path / "ajena.css"
    hoja.write_text('p::after { content: "CSS_AJENO_CARGADO"; }')
    salida = tmp_path / "x.pdf"
    html_a_pdf(f'<html><head><link rel="stylesheet" href="{hoja.as_uri()}"></head><body><p>Hola</p></body></html>', salida)
    assert "CSS_AJENO_CARGADO" not in _texto(salida)


# ---------- Informe compuesto ----------


def test_informe_empieza_por_pdf(informe):
    assert informe.read_bytes().startswith(b"%PDF-")


def test_informe_portada_indice_secciones_apendice(informe):
    # Portada, índice, dos secciones (una página cada una) y apéndice.
    assert _paginas(informe) == 5


def test_numero_de_paginas_sin_poppler(tmp_path):
    paginas = html_a_pdf(html_informe(SECCIONES, PORTADA, ""), tmp_path / "x.pdf")
    assert paginas == 4  # sin apéndice


def test_portada(informe):
    texto = _texto(informe, 1)
    for esperado in ("Evaluación del 6.º Plan de Acción", "Gobierno Abierto, Guatemala", "PERIODO", "2023-2025",
                     "FECHA DE CORTE", "30 de junio de 2025", "ELABORADO POR", "Equipo evaluador"):
        assert esperado in texto
    assert "Página" not in texto


@pytest.mark.parametrize(
    "entrada,pagina",
    [("Situación general", 3), ("Hallazgos", 4), ("Apéndice", 5)],
    ids=["primera-seccion", "segunda-seccion", "apendice"],
)
def test_indice_con_numero_de_pagina(informe, entrada, pagina):
    texto = _texto(informe, 2)
    assert re.search(rf"{entrada}\s*\.+\s*{pagina}\s*$", texto, re.MULTILINE), texto


@pytest.mark.parametrize("pagina", [2, 3, 5], ids=["indice", "seccion", "apendice"])
def test_pie_pagina_n_de_m(informe, pagina):
    assert f"Página {pagina} de 5" in _texto(informe, pagina)


def test_seccion_empieza_en_pagina_nueva_con_su_titulo(informe):
    texto = _texto(informe, 4)
    assert "Hallazgos" in texto and "Detalle: 42 hitos" in texto
    assert "Resumen: 42 hitos" not in texto


@pytest.mark.parametrize(
    "encabezado,veces",
    [("# Situación general", 1), ("# Otro título", 2), ("## Situación general", 2)],
    ids=["h1-igual-se-omite", "h1-distinto-se-conserva", "h2-igual-se-conserva"],
)
def test_titulo_del_cuaderno_no_se_repite(encabezado, veces):
    nb = new_notebook(cells=[new_markdown_cell(f"{encabezado}\n\nTexto.")])
    html = html_informe([("Situación general", nb)], PORTADA, "")
    cuerpo = html[html.index('<section class="seccion"'):]
    assert cuerpo.count("Situación general") + cuerpo.count("Otro título") == veces
    assert "Texto." in cuerpo


def test_cuerpo_ya_calculado_se_inserta_sin_quitar_otro_titulo():
    # El informe pasa el cuerpo de cada sección ya hecho (el de su página HTML);
    # si se le volviera a quitar el título repetido, caería también el segundo «# Situación general».
    nb = new_notebook(cells=[new_markdown_cell("# Situación general\n\nTexto."), new_markdown_cell("# Situación general")])
    cuerpo = cuerpo_de_seccion("Situación general", nb)
    assert html_informe([("Situación general", cuerpo)], PORTADA, "") == html_informe([("Situación general", nb)], PORTADA, "")
    seccion = html_informe([("Situación general", cuerpo)], PORTADA, "").split('<section class="seccion"', 1)[1]
    assert seccion.count("Situación general") == 2  # el título de la sección y el segundo encabezado


def test_apendice_es_html_de_confianza():
    html = html_informe(SECCIONES, PORTADA, APENDICE)
    assert APENDICE in html


def test_titulo_de_seccion_y_portada_escapados():
    portada = {**PORTADA, "titulo": "<script>alert(1)</script>"}
    html = html_informe([("<img src=x onerror=alert(1)>", _seccion("a"))], portada, "")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_portada_sin_titulo_es_un_error():
    with pytest.raises(ErrorParametro, match="titulo"):
        html_informe(SECCIONES, {"periodo": "2023-2025"}, "")


# ---------- Contenido ----------


@pytest.mark.parametrize(
    "literal",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[clic](javascript:alert(1))", "{{ 7*7 }}"],
    ids=["script", "img-onerror", "enlace-markdown-javascript", "jinja"],
)
def test_texto_hostil_literal_en_el_pdf(pdf_hostil, literal):
    assert literal in _texto(pdf_hostil)


def test_acentos_en_el_pdf(pdf_hostil):
    texto = _texto(pdf_hostil)
    assert "participación, año, acción" in texto
    assert "Avance por compromiso (ñandú)" in texto  # texto del gráfico SVG


def _pdf_tabla_ancha(tmp_path: Path, columnas: int) -> Path:
    texto = "La institución responsable informó que se realizó la convocatoria pública y la sistematización."
    nombres = [f"Columna{j}Larguísima" for j in range(columnas - 1)]
    fila = {c: (texto if j % 3 else "https://gobiernoabierto.gob.gt/tablero/compromisos/hitos?id=12345&plan=6")
            for j, c in enumerate(nombres)}
    fila["Fin"] = "Z9"  # última columna: corta, para encontrarla en el texto extraído
    nb = new_notebook(cells=[
        new_markdown_cell("Tabla:"),
        new_code_cell("df", outputs=[new_output(
            "execute_result", execution_count=1, data={"text/html": pd.DataFrame([fila] * 3)._repr_html_()})]),
    ])
    salida = tmp_path / "ancha.pdf"
    html_a_pdf(exportar_html(nb), salida)
    return salida


def _paginas_con_palabras(pdf: Path) -> list[tuple[float, list[float]]]:
    """(ancho de página, bordes derechos de sus palabras) por página, según pdftotext -bbox."""
    cajas = subprocess.run([_requiere("pdftotext"), "-bbox", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    paginas = []
    for bloque in re.split(r"(?=<page )", cajas)[1:]:
        ancho = float(re.search(r'<page width="([\d.]+)"', bloque).group(1))
        bordes = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', bloque)]
        paginas.append((ancho, bordes))
    return paginas


@pytest.mark.parametrize("columnas", [8, 14, 24], ids=["8-columnas", "14-columnas", "24-columnas"])
def test_tabla_ancha_no_se_sale_de_la_pagina(tmp_path, columnas):
    salida = _pdf_tabla_ancha(tmp_path, columnas)
    margen_derecho = 18 / 25.4 * 72  # 18 mm
    for ancho, bordes in _paginas_con_palabras(salida):
        assert bordes and max(bordes) <= ancho - margen_derecho + 1
    assert _texto(salida).count("Z9") == 3


def test_tabla_demasiado_ancha_va_en_pagina_apaisada(tmp_path):
    paginas = _paginas_con_palabras(_pdf_tabla_ancha(tmp_path, 14))
    anchos = [round(ancho) for ancho, _ in paginas]
    # El texto previo queda en vertical; la tabla, en horizontal.
    assert anchos[0] == 595 and 842 in anchos[1:]


def test_grafico_alto_cabe_bajo_el_titulo_de_su_seccion(tmp_path):
    # Como el cronograma: título, entradilla y un gráfico de 7 × 10 pulgadas (254 mm de alto).
    # Con imágenes de hasta 235 mm el gráfico saltaba a la página siguiente y dejaba
    # la primera casi en blanco.
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="504pt" height="720pt"><rect width="504" height="720" fill="#1f4e79"/></svg>'
    cuaderno = new_notebook(
        cells=[
            new_markdown_cell("# Cronograma\n\n" + "Texto de la entradilla. " * 40),
            new_code_cell("fig", outputs=[new_output("display_data", data={"image/svg+xml": svg})]),
        ]
    )
    salida = tmp_path / "x.pdf"
    html_a_pdf(html_informe([("Cronograma", cuaderno)], PORTADA), salida)
    # Portada, índice y una sola página de sección.
    assert _paginas(salida) == 3


# -- importar WeasyPrint sin buscar bibliotecas con gcc ---------------------------------

_CONTAR_PROCESOS = (
    "import subprocess, sys\n"
    "procesos = []\n"
    "original = subprocess.Popen.__init__\n"
    "def contar(self, *a, **k):\n"
    "    procesos.append(a[0] if a else k.get('args'))\n"
    "    original(self, *a, **k)\n"
    "subprocess.Popen.__init__ = contar\n"
)


def test_importar_weasyprint_no_lanza_procesos_y_deja_find_library_como_estaba(python_nuevo):
    # cffi buscaba cada nombre de biblioteca con ldconfig, gcc y ld: ~200 procesos por importación.
    lineas = python_nuevo(
        _CONTAR_PROCESOS
        + "import ctypes.util\n"
        "antes = ctypes.util.find_library\n"
        "from analisis.informe import pdf\n"
        "pdf._importar_weasyprint()\n"
        "print(len(procesos), ctypes.util.find_library is antes, 'weasyprint.text.ffi' in sys.modules)\n"
        "print(len(pdf.pdf_bytes('<p>hola</p>')) > 1000)\n"
    )
    assert lineas.splitlines() == ["0 True True", "True"]


def test_si_las_bibliotecas_no_cargan_por_su_nombre_se_importa_con_la_busqueda_normal(python_nuevo):
    # Otro sistema donde solo find_library encuentra las bibliotecas: el primer intento
    # falla (sin imprimir el aviso de WeasyPrint) y el segundo usa la búsqueda normal.
    lineas = python_nuevo(
        "import ctypes.util, cffi\n"
        "antes = ctypes.util.find_library\n"
        "abrir = cffi.FFI.dlopen\n"
        "intentos = []\n"
        "def dlopen(self, nombre, *a):\n"
        "    if ctypes.util.find_library is not antes:\n"
        "        intentos.append(nombre)\n"
        "        raise OSError('no se carga: ' + str(nombre))\n"
        "    return abrir(self, nombre, *a)\n"
        "cffi.FFI.dlopen = dlopen\n"
        "from analisis.informe import pdf\n"
        "w = pdf._importar_weasyprint()\n"
        "print(bool(intentos), ctypes.util.find_library is antes, w.__name__)\n"
    )
    assert lineas.splitlines() == ["True True weasyprint"]
